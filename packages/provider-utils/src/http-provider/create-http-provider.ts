/**
 * An HTTP provider: a dialect + a URL per call + headers + quirks. Every built-in HTTP provider type
 * (openai, anthropic, openai-compatible) is one of these, and so can a third-party package's be.
 *
 * Per call: `dialect.buildRequest` makes the body, `body(body, call)` may return a changed one, `url(call)`
 * says where it goes (a path on the base URL's origin, so the model or the stream flag can be in the URL,
 * Gemini-style), `callHeaders(call)` adds headers. One undici pool serves the base URL's origin.
 */

import type {
  CallContext,
  CanonicalRequest,
  CanonicalResponse,
  Provider,
  ProviderConfigEntry,
  RawResponse,
  RawStream,
  StreamEvent,
  UpstreamDialect,
} from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { BYTE_READER, type ByteReader, openBytes } from '../http/byte-reader.ts';
import { errorFromResponse, headerValue } from '../http/error-from-response.ts';
import { readText } from '../http/read-body.ts';
import { redactError } from '../http/redact.ts';
import { createUpstreamClient, type UpstreamResponse } from '../http/upstream-client.ts';
import { decodeNdjsonStream } from '../ndjson/decode-ndjson-stream.ts';
import { collectResponse } from '../stream/collect-response.ts';
import { decodeFramedStream, type Framer } from '../stream/decode-framed-stream.ts';
import { decodeSseStream } from '../stream/decode-sse-stream.ts';
import { simulateStream } from '../stream/simulate-stream.ts';
import { createHealthTracker } from './health-tracker.ts';
import { parseBaseUrl, requestPath } from './resolve-endpoint.ts';

/** Largest non-streamed response body read (a guard against runaway upstreams). */
const RESPONSE_BODY_LIMIT = 32 * 1024 * 1024;

/** One upstream call, as the per-call parts of an HttpProviderSpec see it. */
export interface HttpCall {
  /** The upstream model id (`context.model`). */
  model: string;
  /** Whether this call asks the upstream for a stream. */
  stream: boolean;
  request: CanonicalRequest;
  context: CallContext;
}

/** One call's request exactly as it will be sent: what `HttpProviderSpec.sign` signs. */
export interface OutgoingRequest {
  method: 'POST';
  /** The full URL: the base URL's origin, the call's path and query. */
  url: URL;
  /**
   * Every header that will be sent (lower-case names), but for those the HTTP client adds after signing
   * (`host` unless the signer returns it, `content-length`, `accept-encoding`).
   */
  headers: Readonly<Record<string, string>>;
  /** The body text, byte for byte as it will be sent (UTF-8). */
  body: string;
}

/** The status and headers of an upstream's error answer, for `HttpProviderSpec.explainError`. */
export interface ErrorAnswer {
  status: number;
  headers: UpstreamResponse['headers'];
}

export interface HttpProviderSpec {
  /** Provider name (config key). */
  name: string;
  /** Provider type as named in config (`openai`...). */
  type: string;
  /** The wire the upstream speaks (an SSE or an NDJSON one: see `UpstreamDialect.framing`). */
  dialect: UpstreamDialect<any>;
  /**
   * The stream framing, when it is neither SSE nor NDJSON (e.g. AWS event-stream's binary frames): a fresh
   * `Framer` per stream, turning the body's bytes into the messages the dialect's decoder takes. Overrides
   * `dialect.framing`; an answer with a JSON content type is then read as one body, anything else as a stream.
   */
  framer?: () => Framer<any>;
  /**
   * The provider's base URL (`config.base_url` or the provider's default). Its origin gets one connection
   * pool; an invalid one throws an Error naming `providers.<name>.base_url`.
   */
  baseUrl: string;
  /**
   * Where one call goes: a path and query starting with `/`, relative to the base URL's origin (build it
   * from `parseBaseUrl(baseUrl, name)`), or a full URL on that same origin. Without it every call goes to
   * the base URL itself. E.g. Gemini: `` `${base.path}/models/${model}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}` ``.
   */
  url?: (call: HttpCall) => string;
  config: ProviderConfigEntry;
  /** Headers of every request (auth, versions), before the config's `headers`, which win. Lower-case names. */
  headers: Record<string, string>;
  /** Values that must never appear in errors (API keys). */
  secrets: string[];
  /** When set, every call fails with this error before reaching the network (e.g. a missing API key). */
  configError?: ProviderError;
  /**
   * Last changes to the upstream body of one call (quirks), e.g. forcing `stream_options.include_usage`:
   * returns the body to send (a new object; do not change the one given).
   */
  body?: (body: Record<string, unknown>, call: HttpCall) => Record<string, unknown>;
  /** Headers of one call, on top of all others (e.g. a client's beta flags). Lower-case names. */
  callHeaders?: (call: HttpCall) => Record<string, string> | undefined;
  /**
   * Says more about an upstream's error answer (a non-2xx status) for one call, when only the call or the
   * answer's headers know it (which model or deployment was not found; an error type sent in a header, as
   * AWS's `x-amzn-errortype`). Returns the error to report.
   */
  explainError?: (error: ProviderError, call: HttpCall, answer: ErrorAnswer) => ProviderError;
  /**
   * Signs one call (AWS SigV4, or any scheme that covers the exact bytes sent): gets the request as it will be
   * sent and returns the headers to send instead of its headers (usually them plus the signature's). Runs
   * last, after `body` and `callHeaders`, and may be async (credentials to fetch). A ProviderError it throws
   * fails the call as is; anything else fails it as an `authentication` error naming the provider.
   */
  sign?: (
    request: OutgoingRequest,
    call: HttpCall,
  ) => Record<string, string> | Promise<Record<string, string>>;
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

/** Whether an answer is a stream in the dialect's framing (not one JSON body). */
function isStream(response: UpstreamResponse, framing: 'sse' | 'ndjson' | 'custom'): boolean {
  const type = headerValue(response.headers, 'content-type') ?? '';
  if (framing === 'custom') return !type.includes('json');
  if (framing === 'ndjson')
    return type.includes('ndjson') || type.includes('jsonl') || !type.includes('json');
  return !type.includes('json') || type.includes('event-stream');
}

/**
 * A 2xx answer to a streamed call that is a web page (a captive portal's, a proxy's, a misrouted base URL's),
 * not the stream asked for: the error to fail the call with, before anything of it is read as events.
 */
function webPageError(
  response: UpstreamResponse,
  provider: string,
  framing: string,
): ProviderError | undefined {
  const type = (headerValue(response.headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'text/html' && type !== 'application/xhtml+xml') return undefined;
  return new ProviderError({
    type: 'bad_upstream',
    provider,
    message: `upstream ${provider} answered ${type}, not ${framing === 'sse' ? 'an event stream' : 'a stream'}`,
  });
}

export function createHttpProvider(spec: HttpProviderSpec): Provider {
  const { name, dialect, config } = spec;
  const framing = spec.framer ? 'custom' : (dialect.framing ?? 'sse');
  const isEventStream = (response: UpstreamResponse) => isStream(response, framing);
  const base = parseBaseUrl(spec.baseUrl, name);
  const basePath = (base.path === '' ? '/' : base.path) + base.search;
  const client = createUpstreamClient({
    provider: name,
    origin: base.origin,
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
    const call: HttpCall = { model: context.model, stream, request, context };
    const built = dialect.buildRequest(
      request,
      { model: context.model, stream, defaultMaxTokens: context.defaultMaxTokens },
      context.warnings,
    );
    let path: string;
    let body: Record<string, unknown>;
    let extra: Record<string, string> | undefined;
    try {
      path = spec.url ? requestPath(spec.url(call), base.origin, name) : basePath;
      body = spec.body ? spec.body(built, call) : built;
      extra = spec.callHeaders?.(call);
    } catch (error) {
      if (ProviderError.isProviderError(error)) throw redact(error);
      throw redact(
        new ProviderError({
          type: 'api_error',
          provider: name,
          retryable: false,
          message: `provider ${name} could not build its upstream request: ${(error as Error)?.message}`,
          cause: error,
        }),
      );
    }
    const text = JSON.stringify(body);
    let sent = extra ? mergeHeaders(headers, extra) : headers;
    if (spec.sign)
      sent = await signed(
        spec.sign,
        { method: 'POST', url: new URL(path, base.origin), headers: sent, body: text },
        call,
      );
    let response: UpstreamResponse;
    try {
      response = await client.send({
        path,
        headers: sent,
        body: text,
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
      const error = await errorFromResponse(response, { dialect, provider: name, secrets: spec.secrets });
      const failure = spec.explainError
        ? spec.explainError(error, call, { status: response.status, headers: response.headers })
        : error;
      health.record(failure);
      throw failure;
    }
    const page = stream ? webPageError(response, name, framing) : undefined;
    if (page) {
      openBytes(response)
        .cancel(page)
        .catch(() => {});
      health.record(page);
      throw page;
    }
    return response;
  }

  /** The signed headers of one call; a signing failure is recorded and thrown as a redacted ProviderError. */
  async function signed(
    sign: NonNullable<HttpProviderSpec['sign']>,
    request: OutgoingRequest,
    call: HttpCall,
  ): Promise<Record<string, string>> {
    try {
      return mergeHeaders(await sign(request, call));
    } catch (error) {
      const failure = redact(
        ProviderError.isProviderError(error)
          ? error
          : new ProviderError({
              type: 'authentication',
              provider: name,
              message: `provider ${name} could not sign its upstream request: ${(error as Error)?.message}`,
              cause: error,
            }),
      );
      health.record(failure);
      throw failure;
    }
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
      const failure = redact(
        ProviderError.isProviderError(error)
          ? error
          : new ProviderError({
              type: 'bad_upstream',
              provider: name,
              message: `upstream ${name} sent a response that could not be read: ${(error as Error).message}`,
              cause: error,
            }),
      );
      health.record(failure);
      throw failure;
    }
  }

  /** Upstream stream bytes → guarded canonical events (failures become a final error event, secrets redacted). */
  function decodeEvents(body: ByteReader, onEnd?: (error?: ProviderError) => void) {
    const options = { provider: name, fixError: redact, ...(onEnd && { onEnd }) };
    if (spec.framer) return decodeFramedStream(body, spec.framer(), dialect.createStreamDecoder(), options);
    return framing === 'ndjson'
      ? decodeNdjsonStream(body, dialect.createStreamDecoder(), options)
      : decodeSseStream(body, dialect.createStreamDecoder(), options);
  }

  /** Every error leaves named after this provider, its secrets redacted. */
  const redact = (error: ProviderError) =>
    redactError(error.provider === undefined ? error.with({ provider: name }) : error, spec.secrets);

  async function complete(request: CanonicalRequest, context: CallContext): Promise<CanonicalResponse> {
    return readResponse(await send(request, context, false));
  }

  /** The upstream's JSON answer as sent (or, when it streamed anyway, the collected response). */
  async function completeRaw(request: CanonicalRequest, context: CallContext): Promise<RawResponse> {
    const response = await send(request, context, false);
    if (isEventStream(response)) return { dialect: dialect.name, response: await readResponse(response) };
    try {
      const body = await readJson(response);
      health.record();
      return { dialect: dialect.name, body };
    } catch (error) {
      const failure = redact(error as ProviderError);
      health.record(failure);
      throw failure;
    }
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
    completeRaw,

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
