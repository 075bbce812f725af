/**
 * The request path of POST /v1/messages and POST /v1/chat/completions (DESIGN.md, "A streaming request"):
 * auth → body (size limit, JSON) → client dialect → alias → stream policy → framing → slot → provider →
 * events or bytes → client. Every failure becomes a response in the client's dialect.
 */
import {
  type CallContext,
  type CanonicalRequest,
  collectResponse,
  type Dialect,
  EVENT_BATCHES,
  guardEvents,
  openBytes,
  type Provider,
  ProviderError,
  type StreamEvent,
  simulateStream,
  toProviderError,
} from '@tokenpak/providers';
import { FastResponse } from 'srvx';
import type { AppContext } from '../app-context.ts';
import { type Framing, SSE_FRAMING } from '../framing/framing.ts';
import { dialectErrorResponse } from '../http/error-response.ts';
import { requestIdFor } from '../http/request-id.ts';
import type { RequestOutcome } from '../metrics/gateway-metrics.ts';
import { type ChunkSource, type ClientStream, createClientStream } from './client-stream.ts';
import { bytePipeline } from './fast-path.ts';
import { negotiateFraming } from './negotiate-framing.ts';
import { readClientBody } from './read-client-body.ts';
import { RequestTrace } from './request-trace.ts';
import { type ResolvedRoute, resolveRoute, upstreamShouldStream } from './resolve-route.ts';
import { eventPipeline } from './stream-pipeline.ts';

/** Status written to the log when the client hung up before any response (nginx's convention). */
const CLIENT_CLOSED = 499;

export async function handleGeneration(
  ctx: AppContext,
  dialect: Dialect,
  request: Request,
): Promise<Response> {
  const trace = new RequestTrace(ctx, requestIdFor(request.headers), request.method, pathOf(request.url));
  trace.dialect = dialect.name;
  const headers: Record<string, string> = { 'x-request-id': trace.id };
  const reject = (error: ProviderError, outcome: RequestOutcome): Response => {
    const response = dialectErrorResponse(dialect, error, ctx.redact, headers);
    trace.finish(response.status, outcome, error);
    return response;
  };
  try {
    return await serve(ctx, dialect, request, trace, headers, reject);
  } catch (error) {
    // A bug, not an input or upstream problem: still an answer in the client's dialect, never a crash.
    const wrapped = new ProviderError({
      type: 'api_error',
      message: 'Internal error in TokenPak: ' + (error instanceof Error ? error.message : String(error)),
    });
    return reject(wrapped, 'internal_error');
  }
}

async function serve(
  ctx: AppContext,
  dialect: Dialect,
  request: Request,
  trace: RequestTrace,
  headers: Record<string, string>,
  reject: (error: ProviderError, outcome: RequestOutcome) => Response,
): Promise<Response> {
  const { config } = ctx;
  const read = await readClientBody(ctx, request);
  if (!read.ok) {
    if (read.closeConnection) headers.connection = 'close';
    return reject(read.error, read.outcome);
  }
  const parsed = parseClientRequest(ctx, dialect, read.body);
  if (!parsed.ok) {
    if (parsed.route) {
      trace.model = parsed.route.alias;
      trace.provider = parsed.route.providerName;
    }
    return reject(parsed.error, 'client_error');
  }
  const { canonical, route } = parsed;
  trace.warnings = parsed.warnings;
  const { provider } = route;
  trace.model = route.alias;
  trace.provider = route.providerName;
  trace.upstreamModel = route.upstreamModel;
  trace.stream = canonical.stream;

  let framing: Framing | undefined;
  if (canonical.stream) {
    if (!config.streaming.enabled) {
      return reject(
        invalid('Streaming is turned off on this server (streaming.enabled: false): send "stream": false.'),
        'client_error',
      );
    }
    try {
      framing = negotiateFraming(request.headers.get('accept'), config.streaming);
    } catch (error) {
      return reject(toProviderError(error), 'client_error');
    }
  }
  const upstreamStream = upstreamShouldStream(route, canonical.stream);
  trace.upstreamStream = upstreamStream;
  trace.framing = framing?.name;
  const encode = { model: route.alias, includeUsage: canonical.includeUsage === true };

  if (!framing) {
    return serveComplete({
      dialect,
      request,
      trace,
      headers,
      reject,
      canonical,
      route,
      upstreamStream,
      encode,
    });
  }

  const fastPath = forwardsBytes({ dialect, provider, route, canonical, framing, upstreamStream });
  if (canonical.requiresSameDialect !== undefined && !fastPath) {
    return reject(
      invalid(
        `${canonical.requiresSameDialect}: such a request can only be streamed byte for byte, as SSE, from a ` +
          `provider that streams and offers raw passthrough; model '${route.alias}' cannot here.`,
      ),
      'client_error',
    );
  }
  trace.fastPath = fastPath;

  let clientStream: ClientStream | undefined;
  let terminatedEarly = false;
  const abort = new AbortController();
  const slot = ctx.limiter.tryAcquire((reason) => {
    if (clientStream) clientStream.terminate(reason);
    else {
      terminatedEarly = true;
      abort.abort();
    }
  });
  if (!slot) {
    if (ctx.limiter.closed) {
      return reject(
        new ProviderError({
          type: 'overloaded',
          status: 503,
          message: 'TokenPak is shutting down.',
          retryAfter: 1,
        }),
        'shutdown',
      );
    }
    return reject(
      new ProviderError({
        type: 'rate_limit',
        message:
          `Too many concurrent streams: streaming.max_concurrent_streams is ${ctx.limiter.max}. ` +
          'Retry shortly.',
        retryAfter: 1,
      }),
      'rate_limited',
    );
  }

  const clientSignal = request.signal;
  const abortUpstream = (): void => abort.abort();
  clientSignal.addEventListener('abort', abortUpstream, { once: true });
  const call: CallContext = {
    model: route.upstreamModel,
    signal: abort.signal,
    defaultMaxTokens: route.defaultMaxTokens,
    onUpstreamResponse: trace.markUpstreamResponse,
    warnings: trace.warnings,
    clientHeaders: pickClientHeaders(dialect, request.headers),
  };

  const translated = (events: ReadableStream<StreamEvent>): ChunkSource =>
    eventPipeline(events, {
      dialect,
      framing,
      encoder: ctx.encoder,
      encode,
      bufferTokens: route.bufferTokens,
      flushIntervalMs: route.flushIntervalMs,
      writeText: writtenByNode(request),
    });
  let source: ChunkSource;
  try {
    if (fastPath) {
      const raw = await provider.streamRaw!(canonical, call);
      if (raw.events) {
        // The upstream answered with one JSON body, not a stream: served as a simulated stream, translated.
        trace.fastPath = false;
        source = translated(raw.events);
      } else {
        const watcher = dialect.createPassthroughWatcher!({
          provider: route.providerName,
          includeUsage: encode.includeUsage,
          ...(route.alias !== route.upstreamModel && {
            rename: { from: route.upstreamModel, to: route.alias },
          }),
        });
        source = bytePipeline(openBytes(raw), { dialect, watcher, encoder: ctx.encoder });
      }
    } else {
      source = translated(
        upstreamStream
          ? guarded(await provider.stream(canonical, call), route.providerName)
          : simulateStream(await provider.complete(canonical, call)),
      );
    }
  } catch (error) {
    clientSignal.removeEventListener('abort', abortUpstream);
    slot.release();
    if (clientSignal.aborted) {
      trace.finish(CLIENT_CLOSED, 'cancelled');
      return new Response(null, { status: CLIENT_CLOSED, headers });
    }
    if (terminatedEarly) return reject(shuttingDown(), 'shutdown');
    return reject(toProviderError(error, route.providerName), 'upstream_error');
  } finally {
    clientSignal.removeEventListener('abort', abortUpstream);
  }

  if (terminatedEarly) {
    abort.abort();
    source.cancel('shutdown');
    slot.release();
    return reject(shuttingDown(), 'shutdown');
  }

  addWarningsHeader(headers, trace.warnings);
  clientStream = createClientStream(source, {
    trace,
    slot,
    abort,
    clientSignal,
    heartbeat: framing.heartbeat === undefined ? undefined : ctx.heartbeat,
    heartbeatMs: config.streaming.heartbeat_ms,
  });
  // srvx's FastResponse (a plain Response outside Node) is written by srvx straight to the Node response,
  // without building a native Response around the body.
  return new FastResponse(clientStream.body, { status: 200, headers: { ...framing.headers, ...headers } });
}

interface CompleteRequest {
  dialect: Dialect;
  request: Request;
  trace: RequestTrace;
  headers: Record<string, string>;
  reject: (error: ProviderError, outcome: RequestOutcome) => Response;
  canonical: CanonicalRequest;
  route: ResolvedRoute;
  upstreamStream: boolean;
  encode: { model: string; includeUsage: boolean };
}

/** Client asked for no stream: one JSON response, from complete() or from a collected upstream stream. */
async function serveComplete(call: CompleteRequest): Promise<Response> {
  const { dialect, request, trace, headers, reject, canonical, route, upstreamStream, encode } = call;
  const context: CallContext = {
    model: route.upstreamModel,
    signal: request.signal,
    defaultMaxTokens: route.defaultMaxTokens,
    onUpstreamResponse: trace.markUpstreamResponse,
    warnings: trace.warnings,
    clientHeaders: pickClientHeaders(dialect, request.headers),
  };
  try {
    const response = upstreamStream
      ? await collectResponse(await route.provider.stream(canonical, context))
      : await route.provider.complete(canonical, context);
    const body = JSON.stringify(dialect.encodeResponse(response, encode));
    trace.markFirstContent();
    trace.finish(200, 'ok', undefined, response.usage);
    addWarningsHeader(headers, trace.warnings);
    return new FastResponse(body, {
      status: 200,
      headers: { ...headers, 'content-type': 'application/json' },
    });
  } catch (error) {
    if (request.signal.aborted) {
      trace.finish(CLIENT_CLOSED, 'cancelled');
      return new Response(null, { status: CLIENT_CLOSED, headers });
    }
    return reject(toProviderError(error, route.providerName), 'upstream_error');
  }
}

type ParsedClientRequest =
  | { ok: true; canonical: CanonicalRequest; warnings: string[]; route: ResolvedRoute }
  | { ok: false; error: ProviderError; route?: ResolvedRoute };

/**
 * The client's body → the canonical request and its route. Parsing is not a gate for an upstream of the
 * client's own dialect: a body the dialect's parser refuses (an unknown role, a field of a newer API
 * version) is still routed by its model and, when the alias's provider speaks that dialect, forwarded as
 * sent for the upstream to judge. Across dialects, what cannot be translated is a 400 naming it.
 */
function parseClientRequest(ctx: AppContext, dialect: Dialect, body: unknown): ParsedClientRequest {
  let canonical: CanonicalRequest | undefined;
  let warnings: string[] = [];
  let parseError: ProviderError | undefined;
  try {
    const parsed = dialect.parseRequest(body);
    canonical = parsed.request;
    warnings = [...parsed.warnings];
  } catch (error) {
    parseError = asClientError(error);
    try {
      canonical = dialect.parseRawRequest?.(body);
    } catch {
      // Not even a model to route by: the parser's own error stands.
    }
    if (!canonical) return { ok: false, error: parseError };
    warnings = [`forwarded as sent (${parseError.message})`];
  }
  let route: ResolvedRoute;
  try {
    route = resolveRoute(ctx, canonical.model);
  } catch (error) {
    return { ok: false, error: toProviderError(error) };
  }
  const { provider } = route;
  if (provider.dialect === dialect.name) return { ok: true, canonical, warnings, route };
  if (parseError) return { ok: false, error: parseError, route };
  const servedBy =
    `model '${route.alias}' is served by provider '${route.providerName}' ` +
    `(${provider.dialect ?? provider.type}).`;
  if (canonical.requiresSameDialect !== undefined) {
    return {
      ok: false,
      route,
      error: invalid(
        `${canonical.requiresSameDialect}: this can only be served by a provider that speaks ${dialect.name}, but ${servedBy}`,
      ),
    };
  }
  if (canonical.untranslatable !== undefined) {
    return {
      ok: false,
      route,
      error: invalid(`${canonical.untranslatable}, but ${servedBy}`),
    };
  }
  return { ok: true, canonical, warnings, route };
}

/**
 * The fast path: the upstream's SSE bytes are forwarded untouched, watched by the dialect's passthrough
 * watcher, when nothing in them needs more than the watcher does (leave out a few events, rename the model to
 * the alias): the client and the provider speak the same dialect, the client wants SSE, the upstream streams
 * and nothing is coalesced. A request that can only be served byte for byte (`requiresSameDialect`) takes it
 * whenever it can.
 */
function forwardsBytes(input: {
  dialect: Dialect;
  provider: Provider;
  route: ResolvedRoute;
  canonical: CanonicalRequest;
  framing: Framing;
  upstreamStream: boolean;
}): boolean {
  const { dialect, provider, route, canonical, framing, upstreamStream } = input;
  return (
    upstreamStream &&
    framing === SSE_FRAMING &&
    provider.dialect === dialect.name &&
    typeof provider.streamRaw === 'function' &&
    typeof dialect.createPassthroughWatcher === 'function' &&
    (canonical.requiresSameDialect !== undefined || route.bufferTokens <= 1)
  );
}

/** The client's headers its dialect lets a provider see (`Dialect.forwardedClientHeaders`). */
function pickClientHeaders(dialect: Dialect, headers: Headers): Record<string, string> | undefined {
  const names = dialect.forwardedClientHeaders;
  if (!names) return undefined;
  let out: Record<string, string> | undefined;
  for (const name of names) {
    const value = headers.get(name);
    if (!value) continue;
    out ??= {};
    out[name] = value;
  }
  return out;
}

/** Whether srvx's Node adapter serves this request (it writes a streamed body's chunks with `res.write`). */
function writtenByNode(request: Request): boolean {
  return (request as { runtime?: { node?: { res?: unknown } } }).runtime?.node?.res !== undefined;
}

function shuttingDown(): ProviderError {
  return new ProviderError({
    type: 'overloaded',
    status: 503,
    message: 'TokenPak is shutting down.',
    retryAfter: 1,
  });
}

function invalid(message: string): ProviderError {
  return new ProviderError({ type: 'invalid_request', message });
}

/** Parse failures are the client's: anything that is not already a typed error becomes a 400. */
function asClientError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  return invalid('Invalid request: ' + (error instanceof Error ? error.message : String(error)));
}

function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start === -1) return '/';
  const query = url.indexOf('?', start);
  return query === -1 ? url.slice(start) : url.slice(start, query);
}

/** `x-tokenpak-warnings`: what was accepted but dropped or changed (also in the log line). */
function addWarningsHeader(headers: Record<string, string>, warnings: string[] | undefined): void {
  if (warnings && warnings.length > 0) headers['x-tokenpak-warnings'] = headerSafe(warnings.join('; '));
}

function headerSafe(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 1000 ? clean.slice(0, 997) + '...' : clean;
}

/**
 * A provider's events, made safe to read: a stream that fails or stops before `finish` ends with an `error`
 * event, so the client gets the dialect's error and the log counts an upstream error. Streams decoded by the
 * HTTP providers carry these guarantees already (and their batch source, which wrapping would hide).
 */
function guarded(events: ReadableStream<StreamEvent>, provider: string): ReadableStream<StreamEvent> {
  return EVENT_BATCHES in events ? events : guardEvents(events, provider);
}
