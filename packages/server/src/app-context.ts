/** Everything one app owns. Created by createApp; nothing here is shared between apps. */
import type { Dialect } from '@tokenpak/providers';
import type { TokenPakConfig } from './config-types.ts';
import type { Redactor } from './http/redact.ts';
import type { ConcurrencyLimiter } from './limits/concurrency-limiter.ts';
import type { RequestLogger } from './log/request-log.ts';
import type { GatewayMetrics } from './metrics/gateway-metrics.ts';
import type { ByteRedactor } from './pipeline/redact-bytes.ts';
import type { ProviderLookup } from './registry-types.ts';
import type { ResponseStore } from './responses-state/response-store.ts';
import type { StreamLogStore } from './resume/stream-log.ts';

/** The client dialects the server serves, by the name its routes use. */
export type ClientDialectName = 'openai-chat' | 'anthropic-messages' | 'openai-responses' | 'gemini';

export interface AppContext {
  readonly config: TokenPakConfig;
  readonly registry: ProviderLookup;
  readonly dialects: Readonly<Record<ClientDialectName, Dialect>>;
  readonly metrics: GatewayMetrics;
  readonly limiter: ConcurrencyLimiter;
  /** Logs of streamed responses, for clients that resume (undefined when `streaming.resume.enabled` is false). */
  readonly streamLogs: StreamLogStore | undefined;
  /** Responses API state for upstreams that keep none (undefined when `server.response_store.max_entries` is 0). */
  readonly responses: ResponseStore | undefined;
  readonly logger: RequestLogger;
  /** Masks the configured secrets in a text (errors, log lines, /health). */
  readonly redact: Redactor;
  /** The same for the bytes the fast path forwards. */
  readonly redactBytes: ByteRedactor;
  /** Unix seconds at app creation: the `created` of every /v1/models entry. */
  readonly createdAt: number;
  /** Pre-allocated encoder for every byte the app writes. */
  readonly encoder: TextEncoder;
  /** The SSE heartbeat comment, encoded once. */
  readonly heartbeat: Uint8Array;
}
