/**
 * The provider interface: small on purpose, so that a third-party package can implement it.
 * A provider turns a canonical request into canonical events (streaming) or a canonical response.
 */

import type { DialectName } from './dialect-name.ts';
import type { StreamEvent } from './events.ts';
import type { CanonicalRequest } from './request.ts';
import type { CanonicalResponse } from './response.ts';

/** The validated config entry of one provider (`providers.<name>` in config.yaml), fully defaulted. */
export interface ProviderConfigEntry {
  type: string;
  api_key?: string;
  base_url?: string;
  supports_streaming: boolean;
  /** Time allowed for the upstream to send response headers / its first byte. */
  timeout_ms: number;
  /** Time allowed to open the TCP/TLS connection. */
  connect_timeout_ms: number;
  /** Longest silence allowed between two chunks of a streamed body. */
  idle_timeout_ms: number;
  /**
   * The server's, not the provider's: longest wait for a streamed answer's first content before the attempt is
   * retried (default: `timeout_ms`).
   */
  first_token_timeout_ms?: number;
  /** The server's: retries of an attempt that failed before its first content (config default 2). */
  max_retries?: number;
  /** The server's: the first retry's delay in ms, doubled each retry with full jitter (config default 250). */
  retry_base_ms?: number;
  /** The server's: the longest retry delay in ms, Retry-After included (config default 8000). */
  retry_max_ms?: number;
  headers: Record<string, string>;
  /** Type-specific settings (e.g. the mock's knobs, a third-party package's options). */
  [option: string]: unknown;
}

export interface ProviderInit {
  /** The provider's name: its key under `providers:` in config.yaml. */
  name: string;
  config: ProviderConfigEntry;
}

export interface CallContext {
  /** The upstream model id (the alias's `model`, or the alias itself). */
  model: string;
  /** Aborted when the client hangs up or the server gives up: cancel the upstream request at once. */
  signal: AbortSignal;
  /** max_tokens to send when the request has none and the upstream needs one. */
  defaultMaxTokens: number;
  /** Called once when the upstream's response headers (or first byte) arrive: for upstream TTFB timing. */
  onUpstreamResponse?: () => void;
  /** When given, the provider appends notes about request fields it dropped or changed (from `buildRequest`). */
  warnings?: string[];
  /**
   * Headers of the client's request that a provider may forward upstream, chosen by the server (lower-case
   * names), e.g. an Anthropic client's `anthropic-beta` flags. Never credentials.
   */
  clientHeaders?: Readonly<Record<string, string>>;
}

/** Raw upstream bytes in the provider's own wire dialect, for the same-dialect fast path. */
export interface RawStream {
  dialect: DialectName;
  body: ReadableStream<Uint8Array>;
  /**
   * Set when the upstream did not stream after all (it answered the streamed request with one complete
   * JSON body): its answer as a simulated stream of canonical events, as `stream()` would give. `body` is
   * then empty, and the caller serves these events through its translated pipeline instead of the bytes.
   */
  events?: ReadableStream<StreamEvent>;
}

/** A non-streamed upstream answer in the provider's own wire dialect, for the same-dialect path. */
export type RawResponse =
  | { dialect: DialectName; body: unknown; response?: undefined }
  | { dialect: DialectName; body?: undefined; response: CanonicalResponse };

/** The upstream's answer to a token count: `input_tokens`, plus whatever else it sent. */
export interface TokenCount {
  input_tokens: number;
  [field: string]: unknown;
}

export interface ProviderHealth {
  /** 'ok' until a call fails; 'degraded' after recent failures. Never contains secrets. */
  state: 'ok' | 'degraded' | 'unknown';
  lastError?: string;
  lastErrorAt?: string;
}

export interface Provider {
  readonly name: string;
  readonly type: string;
  /** The wire dialect spoken upstream, or null for providers that are not HTTP (mock, custom). */
  readonly dialect: DialectName | null;
  readonly supportsStreaming: boolean;
  /**
   * Starts a streamed call. Rejects with a ProviderError when the upstream fails before the stream begins
   * (bad status, connect error, first-byte timeout). Mid-stream failures arrive as an `error` event.
   */
  stream(request: CanonicalRequest, context: CallContext): Promise<ReadableStream<StreamEvent>>;
  /** A non-streamed call. Rejects with a ProviderError. */
  complete(request: CanonicalRequest, context: CallContext): Promise<CanonicalResponse>;
  /**
   * Optional fast path: start a streamed call and return the upstream's bytes untouched
   * (only when the request's source dialect equals `dialect`). Rejects as `stream()` does. When the upstream
   * answers with a complete JSON body instead of a stream, resolves with `events` set (see RawStream): the
   * caller must serve those rather than `body`.
   */
  streamRaw?(request: CanonicalRequest, context: CallContext): Promise<RawStream>;
  /**
   * Optional, for the same-dialect non-streamed path: the upstream's whole answer as it sent it (parsed JSON),
   * so that a client of the provider's own dialect gets every field of it (`n` choices, logprobs, ids). When
   * the upstream streamed anyway, resolves with `response` (collected) instead of `body`.
   */
  completeRaw?(request: CanonicalRequest, context: CallContext): Promise<RawResponse>;
  /**
   * Optional: counts a request's input tokens upstream without generating (Anthropic's
   * `/v1/messages/count_tokens`). `body` is the client's Anthropic Messages body, sent as is except that
   * `model` becomes `context.model`; resolves to the upstream's JSON answer (`{ input_tokens }`).
   */
  countTokens?(body: Record<string, unknown>, context: CallContext): Promise<TokenCount>;
  health?(): ProviderHealth;
  close?(): Promise<void>;
}

/** What a third-party provider package exports (as `default` or `createProvider`). */
export type ProviderFactory = (init: ProviderInit) => Provider | Promise<Provider>;

/** One problem a StandardSchema found: a message, and where in the value (keys from the outside in). */
export interface StandardSchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** The result of a StandardSchema's `validate`: the (possibly transformed) value, or the issues. */
export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardSchemaIssue> };

/**
 * A schema in the Standard Schema v1 shape (https://standardschema.dev), which valibot (1.x), zod (3.24+)
 * and arktype schemas implement as they are: a provider package declares its options with any of them and
 * depends on none through this spec.
 */
export interface StandardSchema<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/**
 * What a provider package exports: as its default export, or as the named exports `type`, `create` and
 * `optionsSchema` (`specificationVersion` too). Loaded by `type: custom` with `package: <name or path>`.
 *
 * `optionsSchema` validates the entry's own options: every key of `providers.<name>` except the common ones
 * (`COMMON_PROVIDER_KEYS`: `type`, `package`, `api_key`, `base_url`, `supports_streaming`, `timeout_ms`,
 * `connect_timeout_ms`, `idle_timeout_ms`, `first_token_timeout_ms`, `max_retries`, `retry_base_ms`,
 * `retry_max_ms`, `headers`). Issues are reported as `providers.<name>.<key>` (at their line and column
 * by `tokenpak validate-config`); the validated value (with its defaults) is merged into the config that
 * `create` receives.
 */
export interface ProviderPackage<Options = Record<string, unknown>> {
  /** The version of this specification the package was built against (`specificationVersion`). */
  specificationVersion?: 'v1';
  /** The package's provider type, for messages and `provider.type` (e.g. `gemini`). */
  type: string;
  optionsSchema?: StandardSchema<unknown, Options>;
  create: ProviderFactory;
}
