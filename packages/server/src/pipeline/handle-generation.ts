/**
 * The request path of POST /v1/messages and POST /v1/chat/completions (DESIGN.md, "A streaming request"):
 * auth → body (size limit, JSON) → client dialect → alias → stream policy → framing → slot → provider →
 * events or bytes → client. Every failure becomes a response in the client's dialect.
 */
import {
  type CallContext,
  type CanonicalRequest,
  type CanonicalResponse,
  collectResponse,
  type Dialect,
  EVENT_BATCHES,
  guardEvents,
  openBytes,
  type Provider,
  ProviderError,
  type RequestTarget,
  type StreamEvent,
  simulateStream,
  toProviderError,
} from '@tokenpak/providers';
import { FastResponse } from 'srvx';
import type { AppContext } from '../app-context.ts';
import type { Framing } from '../framing/framing.ts';
import { clientGoneOf } from '../http/client-gone.ts';
import { dialectErrorResponse } from '../http/error-response.ts';
import { requestIdFor } from '../http/request-id.ts';
import { requestTarget } from '../http/request-target.ts';
import type { RequestOutcome } from '../metrics/gateway-metrics.ts';
import { assistantTurn, continueConversation } from '../responses-state/continue-conversation.ts';
import { streamOwner } from '../resume/stream-owner.ts';
import { type ChunkSource, type ClientStream, createClientStream } from './client-stream.ts';
import { bytePipeline } from './fast-path.ts';
import { passFirstTokenGate } from './first-token-gate.ts';
import { negotiateFraming } from './negotiate-framing.ts';
import { planAttempts } from './plan-attempts.ts';
import { readClientBody } from './read-client-body.ts';
import { RequestTrace } from './request-trace.ts';
import { type ResolvedRoute, resolveRoute, upstreamShouldStream } from './resolve-route.ts';
import { type AttemptPlan, type AttemptResult, type AttemptsOutcome, runAttempts } from './run-attempts.ts';
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
  // Where the body was sent, for a dialect whose URL carries the model and the stream flag (Gemini).
  const target = dialect.readTarget ? requestTarget(request.url) : undefined;
  const parsed = parseClientRequest(ctx, dialect, read.body, target);
  if (!parsed.ok) {
    if (parsed.route) {
      trace.model = parsed.route.alias;
      trace.provider = parsed.route.providerName;
    }
    return reject(parsed.error, 'client_error');
  }
  const { route } = parsed;
  const owner = streamOwner(request.headers, (config.server.api_keys?.length ?? 0) > 0, request.url);
  // Conversation state (Responses `previous_response_id`): kept by an upstream of the client's own dialect,
  // answered from the proxy's store for any other.
  const keepsState = route.provider.dialect === dialect.name;
  const continued = keepsState
    ? ({ ok: true, request: parsed.canonical } as const)
    : continueConversation(parsed.canonical, ctx.responses, owner);
  if (!continued.ok) return reject(continued.error, 'client_error');
  const canonical = continued.request;
  const parseWarnings = parsed.warnings;
  trace.warnings = parseWarnings;
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
      framing = negotiateFraming(request.headers.get('accept'), config.streaming, {
        framing: target && dialect.readTarget?.(target)?.framing,
        eventIds: dialect.sseEventIds !== false,
      });
    } catch (error) {
      return reject(toProviderError(error), 'client_error');
    }
  }
  const upstreamStream = upstreamShouldStream(route, canonical.stream);
  trace.upstreamStream = upstreamStream;
  trace.framing = framing?.name;
  // The response is remembered for a later previous_response_id under an id minted now.
  const remember =
    ctx.responses !== undefined &&
    canonical.store === true &&
    !keepsState &&
    dialect.mintResponseId !== undefined;
  const responseId = remember ? dialect.mintResponseId!() : undefined;
  const encode = {
    model: route.alias,
    includeUsage: canonical.includeUsage === true,
    ...(responseId !== undefined && { id: responseId }),
    // As the client sent it (before a stored conversation is put in front), for answers that echo it.
    request: parsed.canonical,
  };
  /** Stores the response (undefined: still streaming, only its stream log can be read yet). */
  const rememberResponse = (response: CanonicalResponse | undefined, streamId?: string): void => {
    if (responseId === undefined || !ctx.responses) return;
    ctx.responses.put({
      id: responseId,
      model: route.alias,
      ...(canonical.system !== undefined && { system: canonical.system }),
      messages: response ? [...canonical.messages, assistantTurn(response)] : canonical.messages,
      input: parsed.canonical.messages,
      ...(response && { response }),
      ...(streamId !== undefined && { streamId }),
      owner,
    });
  };

  if (!framing) {
    return serveComplete({
      ctx,
      dialect,
      request,
      trace,
      headers,
      reject,
      canonical,
      route,
      parseWarnings,
      encode,
      remember: rememberResponse,
    });
  }

  const primaryFastPath = forwardsBytes({ dialect, provider, route, canonical, framing, upstreamStream });
  if (canonical.requiresSameDialect !== undefined && !primaryFastPath) {
    return reject(
      invalid(
        `${canonical.requiresSameDialect}: such a request can only be streamed byte for byte, as SSE, from a ` +
          `provider that streams and offers raw passthrough; model '${route.alias}' cannot here.`,
      ),
      'client_error',
    );
  }

  let clientStream: ClientStream | undefined;
  let terminatedEarly = false;
  const abort = new AbortController();
  const slot = await ctx.limiter.acquire((reason) => {
    if (clientStream) clientStream.terminate(reason);
    else {
      terminatedEarly = true;
      abort.abort();
    }
  });
  if (!slot) {
    if (ctx.limiter.closed) return reject(shuttingDown(), 'shutdown');
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

  const clientGone = clientGoneOf(request);
  const unsubscribeGate = clientGone.subscribe(() => abort.abort());
  const clientHeaders = pickClientHeaders(dialect, request.headers);
  const writeText = writtenByNode(request);

  /** One attempt: call the upstream, build the path's chunk source, hold it at the first-token gate. */
  const startStream = async (plan: AttemptPlan, signal: AbortSignal): Promise<AttemptResult<Started>> => {
    const served = plan.route;
    const stream = upstreamShouldStream(served, canonical.stream);
    const fastPath = forwardsBytes({
      dialect,
      provider: served.provider,
      route: served,
      canonical,
      framing,
      upstreamStream: stream,
    });
    const warnings = [...parseWarnings];
    const call: CallContext = {
      model: served.upstreamModel,
      signal,
      defaultMaxTokens: served.defaultMaxTokens,
      onUpstreamResponse: trace.markUpstreamResponse,
      warnings,
      ...(clientHeaders && { clientHeaders }),
    };
    let captured: Promise<CanonicalResponse> | undefined;
    const translated = (upstreamEvents: ReadableStream<StreamEvent>): ChunkSource => {
      let events = upstreamEvents;
      if (remember) {
        // One branch for the client, one collected for the response store.
        const [toClient, toStore] = upstreamEvents.tee();
        events = toClient;
        captured = collectResponse(toStore);
        captured.catch(() => {});
      }
      return eventPipeline(events, {
        dialect,
        framing,
        encoder: ctx.encoder,
        redact: ctx.redact,
        encode,
        bufferTokens: served.bufferTokens,
        flushIntervalMs: served.flushIntervalMs,
        writeText,
      });
    };
    let source: ChunkSource;
    let bytes = false;
    if (fastPath) {
      const raw = await served.provider.streamRaw!(canonical, call);
      if (raw.events) {
        // The upstream answered with one JSON body, not a stream: served as a simulated stream, translated.
        source = translated(raw.events);
      } else {
        bytes = true;
        const watcher = dialect.createPassthroughWatcher!({
          provider: served.providerName,
          includeUsage: encode.includeUsage,
          ...(served.upstreamModel !== encode.model && {
            rename: { from: served.upstreamModel, to: encode.model },
          }),
        });
        source = bytePipeline(openBytes(raw), {
          dialect,
          watcher,
          encoder: ctx.encoder,
          redact: ctx.redactBytes,
          eventIds: ctx.streamLogs !== undefined,
        });
      }
    } else {
      source = translated(
        stream
          ? guarded(await served.provider.stream(canonical, call), served.providerName)
          : simulateStream(await served.provider.complete(canonical, call)),
      );
    }
    const gate = await passFirstTokenGate(source, {
      timeoutMs: plan.firstTokenTimeoutMs,
      provider: served.providerName,
    });
    if (!gate.ok) return gate;
    return {
      ok: true,
      value: {
        source: gate.source,
        fastPath: bytes,
        upstreamStream: stream,
        warnings,
        ...(captured && { response: captured }),
      },
    };
  };

  const gateStart = performance.now();
  const opening = runAttempts(planAttempts(ctx, route, dialect, canonical), startStream, {
    signal: abort.signal,
    metrics: ctx.metrics,
  }).then((outcome) => {
    unsubscribeGate();
    trace.gateMs = performance.now() - gateStart;
    ctx.metrics.gateWait.observe([], trace.gateMs / 1000);
    trace.attempts = outcome.attempts;
    if (!outcome.ok) noteLastTried(trace, route, outcome.plan);
    if (outcome.ok) {
      const served = outcome.plan.route;
      trace.fastPath = outcome.value.fastPath;
      trace.upstreamStream = outcome.value.upstreamStream;
      trace.warnings = outcome.value.warnings;
      if (served.alias !== route.alias) {
        trace.servedBy = served.alias;
        trace.provider = served.providerName;
        trace.upstreamModel = served.upstreamModel;
        ctx.metrics.fallbacks.inc([route.alias, served.alias]);
      }
    }
    return outcome;
  });

  // Headers wait at the gate; past the heartbeat interval they go out, and heartbeats keep the line open.
  // With no heartbeat (heartbeat_ms: 0, or a framing that has none) sending them early would keep nothing
  // open: they wait for the gate itself, whose attempts have their own timeouts.
  const heartbeats = config.streaming.heartbeat_ms > 0 && framing.heartbeat !== undefined;
  const early = heartbeats ? await within(opening, config.streaming.heartbeat_ms) : await opening;
  if (early !== undefined && !early.ok) {
    slot.release();
    if (clientGone.gone) {
      trace.finish(CLIENT_CLOSED, 'cancelled');
      return new Response(null, { status: CLIENT_CLOSED, headers });
    }
    if (terminatedEarly) return reject(shuttingDown(), 'shutdown');
    return reject(early.error, 'upstream_error');
  }
  if (terminatedEarly) {
    abort.abort();
    if (early?.ok) early.value.source.cancel('shutdown');
    slot.release();
    return reject(shuttingDown(), 'shutdown');
  }

  const source = early?.ok ? early.value.source : deferredSource(opening, dialect, framing, ctx.encoder);
  if (early?.ok) {
    addWarningsHeader(headers, trace.warnings);
    headers['x-tokenpak-model'] = early.plan.route.alias;
  }
  // Resumable: the stream's events go to a log a client that drops can read again (GET /v1/streams/{id}).
  const log = ctx.streamLogs?.open({
    dialect: dialect.name,
    framing: framing.name,
    headers: framing.headers,
    owner,
  });
  if (log) headers['x-tokenpak-stream-id'] = log.id;
  if (remember) {
    // Readable at once with GET /v1/responses/{id}?stream=true (a client that dropped resumes mid-stream);
    // stored whole when the stream ends well, forgotten when it fails.
    if (log) rememberResponse(undefined, log.id);
    const forget = () => {
      if (responseId !== undefined) ctx.responses?.delete(responseId);
    };
    void opening.then((outcome) => {
      if (!outcome.ok || !outcome.value.response) return forget();
      outcome.value.response.then((response) => rememberResponse(response, log?.id), forget);
    });
  }
  clientStream = createClientStream(source, {
    trace,
    slot,
    abort,
    clientGone,
    nodeBody: writeText,
    heartbeat: framing.heartbeat === undefined ? undefined : ctx.heartbeat,
    heartbeatMs: config.streaming.heartbeat_ms,
    ...(log && {
      resume: { log, framing: framing.name, graceMs: config.streaming.resume.reconnect_grace_ms },
    }),
  });
  // srvx's FastResponse (a plain Response outside Node) is written by srvx straight to the Node response,
  // without building a native Response around the body.
  return new FastResponse(clientStream.body as BodyInit, {
    status: 200,
    headers: { ...framing.headers, ...headers },
  });
}

/** What a streamed attempt that passed the gate hands over. */
interface Started {
  source: ChunkSource;
  fastPath: boolean;
  upstreamStream: boolean;
  warnings: string[];
  /** The whole response, once the stream has ended well (when it is to be remembered). */
  response?: Promise<CanonicalResponse>;
}

/**
 * The source of a response whose headers went out before the gate opened: it waits for the attempts, then is
 * the winner's source; when they all failed, it fails with their error (the dialect's error event, then a
 * clean close).
 */
function deferredSource(
  opening: Promise<AttemptsOutcome<Started>>,
  dialect: Dialect,
  framing: Framing,
  encoder: TextEncoder,
): ChunkSource {
  let inner: ChunkSource | undefined;
  let cancelled: unknown;
  /** Events written here (the error event when every attempt failed). */
  let ownEvents = 0;
  const settled = opening.then((outcome) => {
    if (!outcome.ok) throw outcome.error;
    inner = outcome.value.source;
    if (cancelled !== undefined) inner.cancel(cancelled);
    return inner;
  });
  settled.catch(() => {});
  return {
    async next() {
      return (inner ?? (await settled)).next();
    },
    cancel(reason) {
      cancelled = reason ?? 'cancelled';
      inner?.cancel(reason);
    },
    errorEvent(error) {
      if (inner) return inner.errorEvent(error);
      const framed = framing.format(dialect.encodeErrorEvent(error), 1)?.concat(framing.close?.(1) ?? '');
      if (framed === undefined) return undefined;
      ownEvents = 1;
      return encoder.encode(framed);
    },
    contentSeen: () => inner?.contentSeen() ?? false,
    eventsWritten: () => (inner?.eventsWritten() ?? 0) + ownEvents,
    report: () => inner?.report() ?? { contentSeen: false, finished: false, usage: {} },
  };
}

/** Every attempt failed: when the last error came from a fallback, the log line says which one gave it. */
function noteLastTried(trace: RequestTrace, route: ResolvedRoute, plan: AttemptPlan | undefined): void {
  if (!plan || plan.route.alias === route.alias) return;
  trace.lastTried = plan.route.alias;
  trace.provider = plan.route.providerName;
  trace.upstreamModel = plan.route.upstreamModel;
}

/** `promise`'s value if it settles within `ms`, else undefined (the promise runs on). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ms, undefined);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface CompleteRequest {
  ctx: AppContext;
  dialect: Dialect;
  request: Request;
  trace: RequestTrace;
  headers: Record<string, string>;
  reject: (error: ProviderError, outcome: RequestOutcome) => Response;
  canonical: CanonicalRequest;
  route: ResolvedRoute;
  parseWarnings: readonly string[];
  encode: { model: string; includeUsage: boolean; id?: string };
  /** Keeps the response for a later previous_response_id (does nothing when it is not to be kept). */
  remember: (response: CanonicalResponse) => void;
}

/**
 * Client asked for no stream: one JSON response, from complete() or from a collected upstream stream, with
 * the same retries and fallbacks as a stream.
 */
/** A non-streamed attempt's answer: canonical, and the upstream's own body when it passed through. */
interface Completed {
  response: CanonicalResponse;
  warnings: string[];
  body?: unknown;
}

/**
 * The non-streamed same-dialect path: the provider speaks the client's dialect, hands over its raw answer,
 * and the dialect can pass it through; the upstream is not asked to stream.
 */
function completesRaw(dialect: Dialect, route: ResolvedRoute, canonical: CanonicalRequest): boolean {
  return (
    !upstreamShouldStream(route, canonical.stream) &&
    route.provider.dialect === dialect.name &&
    typeof route.provider.completeRaw === 'function' &&
    typeof dialect.passthroughResponse === 'function'
  );
}

async function serveComplete(call: CompleteRequest): Promise<Response> {
  const { ctx, dialect, request, trace, headers, reject, canonical, route, encode } = call;
  if (canonical.requiresSameDialect !== undefined && !completesRaw(dialect, route, canonical)) {
    return reject(
      invalid(
        `${canonical.requiresSameDialect}: such a request can only be answered as the upstream sent it, by a ` +
          `provider of the client's own API; model '${route.alias}' cannot here.`,
      ),
      'client_error',
    );
  }
  const clientHeaders = pickClientHeaders(dialect, request.headers);
  const tryComplete = async (plan: AttemptPlan, signal: AbortSignal): Promise<AttemptResult<Completed>> => {
    const served = plan.route;
    const warnings = [...call.parseWarnings];
    // A non-streamed answer is its own first content: it must be whole within first_token_timeout_ms, so
    // that an upstream that sends its headers and then only keep-alive bytes is retried, not waited on.
    const late = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<AttemptResult<never>>((resolve) => {
      timer = setTimeout(() => {
        late.abort('first token timeout');
        resolve({
          ok: false,
          error: new ProviderError({
            type: 'timeout',
            code: 'first_token_timeout',
            provider: served.providerName,
            message: `upstream ${served.providerName} did not complete its answer within ${plan.firstTokenTimeoutMs} ms (first_token_timeout_ms)`,
          }),
        });
      }, plan.firstTokenTimeoutMs);
    });
    const context: CallContext = {
      model: served.upstreamModel,
      signal: AbortSignal.any([signal, late.signal]),
      defaultMaxTokens: served.defaultMaxTokens,
      onUpstreamResponse: trace.markUpstreamResponse,
      warnings,
      ...(clientHeaders && { clientHeaders }),
    };
    const answer = (async (): Promise<AttemptResult<Completed>> => {
      if (completesRaw(dialect, served, canonical)) {
        const raw = await served.provider.completeRaw!(canonical, context);
        if (raw.response !== undefined) return { ok: true, value: { response: raw.response, warnings } };
        // The same dialect: the upstream's answer as it sent it, only the model renamed to the alias.
        const passed = dialect.passthroughResponse!(
          raw.body,
          served.upstreamModel === encode.model
            ? {}
            : { rename: { from: served.upstreamModel, to: encode.model } },
        );
        return { ok: true, value: { response: passed.response, warnings, body: passed.body } };
      }
      const response = upstreamShouldStream(served, canonical.stream)
        ? await collectResponse(await served.provider.stream(canonical, context))
        : await served.provider.complete(canonical, context);
      return { ok: true, value: { response, warnings } };
    })();
    // Once the deadline has won, the aborted call's rejection is nobody's.
    answer.catch(() => {});
    try {
      return await Promise.race([answer, deadline]);
    } finally {
      clearTimeout(timer);
    }
  };
  const abort = new AbortController();
  const clientGone = clientGoneOf(request);
  const unsubscribe = clientGone.subscribe(() => abort.abort());
  const outcome = await runAttempts(planAttempts(ctx, route, dialect, canonical), tryComplete, {
    signal: abort.signal,
    metrics: ctx.metrics,
  });
  unsubscribe();
  trace.attempts = outcome.attempts;
  if (!outcome.ok) {
    noteLastTried(trace, route, outcome.plan);
    if (clientGone.gone) {
      trace.finish(CLIENT_CLOSED, 'cancelled');
      return new Response(null, { status: CLIENT_CLOSED, headers });
    }
    return reject(outcome.error, 'upstream_error');
  }
  const served = outcome.plan.route;
  if (served.alias !== route.alias) {
    trace.servedBy = served.alias;
    trace.provider = served.providerName;
    trace.upstreamModel = served.upstreamModel;
    ctx.metrics.fallbacks.inc([route.alias, served.alias]);
  }
  const { response, warnings } = outcome.value;
  call.remember(response);
  trace.warnings = warnings;
  trace.fastPath = outcome.value.body !== undefined;
  // Masked as the fast path's bytes are: no configured secret leaves in an answer, whichever path made it.
  const body = ctx.redact(JSON.stringify(outcome.value.body ?? dialect.encodeResponse(response, encode)));
  trace.markFirstContent();
  trace.finish(200, 'ok', undefined, response.usage);
  addWarningsHeader(headers, warnings);
  headers['x-tokenpak-model'] = served.alias;
  return new FastResponse(body, { status: 200, headers: { ...headers, 'content-type': 'application/json' } });
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
function parseClientRequest(
  ctx: AppContext,
  dialect: Dialect,
  body: unknown,
  target: RequestTarget | undefined,
): ParsedClientRequest {
  let canonical: CanonicalRequest | undefined;
  let warnings: string[] = [];
  let parseError: ProviderError | undefined;
  try {
    const parsed = dialect.parseRequest(body, target);
    canonical = parsed.request;
    warnings = [...parsed.warnings];
  } catch (error) {
    parseError = asClientError(error);
    try {
      canonical = dialect.parseRawRequest?.(body, target);
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
    framing.name === 'sse' &&
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
  if (ProviderError.isProviderError(error)) return error;
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
