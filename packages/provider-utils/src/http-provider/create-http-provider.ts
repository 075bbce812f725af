/**
 * An HTTP provider: a dialect + an endpoint + headers + quirks. Every built-in HTTP provider type
 * (openai, anthropic, openai-compatible) is one of these.
 */

import type {
  CallContext,
  CanonicalRequest,
  CanonicalResponse,
  Dialect,
  Provider,
  ProviderConfigEntry,
  RawStream,
  StreamEvent,
} from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { BYTE_READER, type ByteReader, openBytes } from '../http/byte-reader.ts';
import { errorFromResponse, headerValue } from '../http/error-from-response.ts';
import { readText } from '../http/read-body.ts';
import { redactError } from '../http/redact.ts';
import { createUpstreamClient, type UpstreamResponse } from '../http/upstream-client.ts';
import { collectResponse } from '../stream/collect-response.ts';
import { decodeSseStream } from '../stream/decode-sse-stream.ts';
import { simulateStream } from '../stream/simulate-stream.ts';
import { createHealthTracker } from './health-tracker.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';

/** Largest non-streamed response body read (a guard against runaway upstreams). */
const RESPONSE_BODY_LIMIT = 32 * 1024 * 1024;

export interface HttpProviderSpec {
  /** Provider name (config key). */
  name: string;
  /** Provider type as named in config (`openai`...). */
  type: string;
  dialect: Dialect;
  baseUrl: string;
  config: ProviderConfigEntry;
  /** Headers of every request (auth, versions), before the config's `headers`, which win. Lower-case names. */
  headers: Record<string, string>;
  /** Values that must never appear in errors (API keys). */
  secrets: string[];
  /** When set, every call fails with this error before reaching the network (e.g. a missing API key). */
  configError?: ProviderError;
  /** Last changes to the upstream body (quirks), e.g. forcing `stream_options.include_usage`. */
  adjustBody?: (body: Record<string, unknown>, stream: boolean) => void;
  /** Headers of one call, on top of the shared ones (e.g. a client's beta flags). Lower-case names. */
  callHeaders?: (request: CanonicalRequest, context: CallContext) => Record<string, string> | undefined;
}

/** Lower-cases header names; later sources win. */
export function mergeHeaders(...sources: Array<Record<string, string> | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of sources) {
    if (!source) continue;
    for (const [name, value] of Object.entries(source)) out[name.toLowerCase()] = value;
  }
  return out;
}

function isEventStream(response: UpstreamResponse): boolean {
  const type = headerValue(response.headers, 'content-type') ?? '';
  return !type.includes('json') || type.includes('event-stream');
}

export function createHttpProvider(spec: HttpProviderSpec): Provider {
  const { name, dialect, config } = spec;
  const endpoint = resolveEndpoint(spec.baseUrl, dialect.name, name);
  const client = createUpstreamClient({
    provider: name,
    origin: endpoint.origin,
    connectTimeoutMs: config.connect_timeout_ms,
    firstByteTimeoutMs: config.timeout_ms,
    idleTimeoutMs: config.idle_timeout_ms,
  });
  const headers = mergeHeaders({ 'content-type': 'application/json' }, spec.headers, config.headers);
  const health = createHealthTracker();
  const supportsStreaming = config.supports_streaming !== false;

  /** Sends the request; rejects with a ProviderError for transport failures and non-2xx answers. */
  async function send(
    request: CanonicalRequest,
    context: CallContext,
    stream: boolean,
    onEnd?: (error: ProviderError | undefined, cancelled: boolean) => void,
  ): Promise<UpstreamResponse> {
    if (spec.configError) {
      health.record(spec.configError);
      throw spec.configError;
    }
    const body = dialect.buildRequest(
      request,
      { model: context.model, stream, defaultMaxTokens: context.defaultMaxTokens },
      context.warnings,
    );
    spec.adjustBody?.(body, stream);
    const extra = spec.callHeaders?.(request, context);
    let response: UpstreamResponse;
    try {
      response = await client.send({
        path: endpoint.path,
        headers: extra ? { ...headers, ...extra } : headers,
        body: JSON.stringify(body),
        signal: context.signal,
        ...(context.onUpstreamResponse && { onResponse: context.onUpstreamResponse }),
        ...(onEnd && { onEnd }),
      });
    } catch (error) {
      const failure = redact(error as ProviderError);
      health.record(failure);
      throw failure;
    }
    if (response.status < 200 || response.status >= 300) {
      const failure = await errorFromResponse(response, { dialect, provider: name, secrets: spec.secrets });
      health.record(failure);
      throw failure;
    }
    return response;
  }

  async function readJson(response: UpstreamResponse): Promise<unknown> {
    const text = await readText(openBytes(response), RESPONSE_BODY_LIMIT);
    try {
      return JSON.parse(text);
    } catch {
      throw new ProviderError({
        type: 'bad_upstream',
        provider: name,
        message: `upstream ${name} sent a response body that is not JSON`,
      });
    }
  }

  /** Reads a whole response (JSON, or SSE when the upstream streamed anyway) into a canonical response. */
  async function readResponse(response: UpstreamResponse): Promise<CanonicalResponse> {
    try {
      const result = isEventStream(response)
        ? await collectResponse(decodeEvents(openBytes(response)))
        : dialect.parseResponse(await readJson(response));
      health.record();
      return result;
    } catch (error) {
      const failure = redactError(
        error instanceof ProviderError
          ? error
          : new ProviderError({
              type: 'bad_upstream',
              provider: name,
              message: `upstream ${name} sent a response that could not be read: ${(error as Error).message}`,
              cause: error,
            }),
        spec.secrets,
      );
      health.record(failure);
      throw failure;
    }
  }

  /** Upstream SSE bytes → guarded canonical events (failures become a final error event, secrets redacted). */
  function decodeEvents(body: ByteReader, onEnd?: (error?: ProviderError) => void) {
    return decodeSseStream(body, dialect.createStreamDecoder(), {
      provider: name,
      fixError: redact,
      ...(onEnd && { onEnd }),
    });
  }

  const redact = (error: ProviderError) => redactError(error, spec.secrets);

  async function complete(request: CanonicalRequest, context: CallContext): Promise<CanonicalResponse> {
    return readResponse(await send(request, context, false));
  }

  const provider: Provider = {
    name,
    type: spec.type,
    dialect: dialect.name,
    supportsStreaming,

    async stream(request, context): Promise<ReadableStream<StreamEvent>> {
      if (!supportsStreaming) return simulateStream(await complete(request, context));
      const response = await send(request, context, true);
      // Some OpenAI-compatible servers ignore `stream: true` and answer with one JSON body.
      if (!isEventStream(response)) return simulateStream(await readResponse(response));
      return decodeEvents(openBytes(response), (error) => health.record(error));
    },

    complete,

    health: () => health.snapshot(),

    async close() {
      await client.close();
    },
  };

  if (supportsStreaming) {
    provider.streamRaw = async (request, context): Promise<RawStream> => {
      const response = await send(request, context, true, (error, cancelled) => {
        if (!cancelled) health.record(error && redact(error));
      });
      // An upstream that ignored `stream: true`: its one JSON body as a simulated stream, as stream() does.
      if (!isEventStream(response)) {
        const events = simulateStream(await readResponse(response));
        return { dialect: dialect.name, events, body: new ReadableStream({ start: (c) => c.close() }) };
      }
      // The body as a web stream is built only if someone reads `body`; the server reads the bytes.
      return {
        dialect: dialect.name,
        [BYTE_READER]: openBytes(response),
        get body() {
          return response.body;
        },
      } as RawStream;
    };
  }
  return provider;
}
