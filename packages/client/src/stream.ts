/**
 * `tokenpakStream()`: reads a TokenPak stream (SSE or NDJSON) and, when the connection drops before the
 * stream's proper end, reconnects to `GET /v1/streams/{id}` with `Last-Event-ID` (or `?after=`), with
 * exponential backoff and full jitter, so the caller sees one uninterrupted sequence of events.
 *
 * Only `fetch`, `ReadableStream`, `TextDecoder`, `AbortController` and timers: Node 20+ and browsers.
 */
import { backoffDelay, retryAfterMs } from './backoff.ts';
import { errorBodyMessage, TokenpakStreamError } from './errors.ts';
import { classifyEvent, describeFailure, type StreamEvent, textDelta } from './events.ts';
import { NdjsonParser } from './ndjson-parser.ts';
import { SseParser } from './sse-parser.ts';

/** The header carrying the stream id on every streamed TokenPak response. */
export const STREAM_ID_HEADER = 'x-tokenpak-stream-id';

export const DEFAULT_MAX_RETRIES = 5;
export const DEFAULT_BACKOFF_MS = 250;
export const DEFAULT_MAX_BACKOFF_MS = 5000;
export const DEFAULT_IDLE_TIMEOUT_MS = 0;

/** A request for `fetch`: TokenPak's streaming endpoint with the request body and headers. */
export interface StreamRequest {
  url: string | URL;
  init?: RequestInit;
}

/**
 * Where the stream comes from: the `Response` of a streaming request (or a promise of one), a function
 * returning one (called when iteration starts), or a request that `tokenpakStream` sends itself.
 */
export type StreamSource =
  | Response
  | PromiseLike<Response>
  | (() => Response | PromiseLike<Response>)
  | StreamRequest;

/** What `onRetry` is told before each reconnect attempt. */
export interface RetryInfo {
  streamId: string;
  /** 1 for the first attempt after a drop or a failed attempt; reset once a connection delivers events. */
  attempt: number;
  /** The wait before this attempt, in ms. */
  delayMs: number;
  /** Why: the drop, or the previous attempt's failure. */
  error: unknown;
}

export interface TokenpakStreamOptions {
  /** The `fetch` to use (for the request of a `{ url, init }` source and for resumes). Default: global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /**
   * Reconnect attempts in a row, without receiving any event in between, before giving up with a
   * 'retries-exhausted' error. 0 disables resuming. Default 5.
   */
  maxRetries?: number;
  /** Backoff base: attempt k waits a random time in [0, min(maxBackoffMs, backoffMs·2^(k-1))). Default 250. */
  backoffMs?: number;
  /** Backoff cap, also the cap of a `Retry-After` on a resume answer. Default 5000. */
  maxBackoffMs?: number;
  /**
   * Treat a connection as dropped when nothing (not even a heartbeat) arrives for this long, and resume.
   * 0 (the default) turns it off. With SSE, set it above the server's `heartbeat_ms`.
   */
  idleTimeoutMs?: number;
  /** Stops everything (the read, the wait, a resume request): iteration rejects with `signal.reason`. */
  signal?: AbortSignal;
  /**
   * Headers for the resume requests, merged over the `Authorization` and `x-api-key` headers of a
   * `{ url, init }` source. Needed when the source is a `Response` and the server checks client keys. Any
   * form `new Headers()` takes (typed without naming the DOM lib's `HeadersInit`, for Node-only projects).
   */
  headers?: ConstructorParameters<typeof Headers>[0];
  /**
   * TokenPak's base URL (`http://localhost:8000`; a trailing `/v1` is accepted): resumes go to
   * `{baseUrl}/v1/streams/{id}`. Default: taken from the response's URL (or the request's), up to its
   * last `/v1/`.
   */
  baseUrl?: string | URL;
  /** Called before each reconnect attempt (for logs and metrics). */
  onRetry?: (info: RetryInfo) => void;
}

/** A TokenPak stream: an async iterable of its events (once), with text deltas and resume figures. */
export interface TokenpakStream extends AsyncIterable<StreamEvent> {
  /** The text deltas of the three dialects, in order (iterate either this or the stream, once). */
  text(): AsyncIterable<string>;
  /** The stream id (`x-tokenpak-stream-id`), once the first response has arrived. */
  readonly streamId: string | undefined;
  /** Successful reconnections so far. */
  readonly resumes: number;
  /** 'sse' or 'ndjson', once the first response has arrived. */
  readonly framing: 'sse' | 'ndjson' | undefined;
  /** The SSE last event id (what a resume sends as `Last-Event-ID`). */
  readonly lastEventId: string | undefined;
  /** NDJSON lines received (what a resume sends as `?after=`). */
  readonly linesReceived: number;
  /** The first response (status and headers), once it has arrived. */
  readonly response: Response | undefined;
}

type Framing = 'sse' | 'ndjson';
type Outcome = { kind: 'end' } | { kind: 'drop'; progressed: boolean; error: unknown };
type Parser = SseParser | NdjsonParser;

/**
 * Reads a TokenPak stream and resumes it when the connection drops.
 *
 * ```ts
 * const stream = tokenpakStream({ url: 'http://localhost:8000/v1/chat/completions', init: { method: 'POST', … } });
 * for await (const text of stream.text()) process.stdout.write(text);
 * ```
 */
export function tokenpakStream(source: StreamSource, options: TokenpakStreamOptions = {}): TokenpakStream {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const maxRetries = nonNegative(options.maxRetries, DEFAULT_MAX_RETRIES, 'maxRetries');
  const backoffMs = nonNegative(options.backoffMs, DEFAULT_BACKOFF_MS, 'backoffMs');
  const maxBackoffMs = nonNegative(options.maxBackoffMs, DEFAULT_MAX_BACKOFF_MS, 'maxBackoffMs');
  const idleTimeoutMs = nonNegative(options.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS, 'idleTimeoutMs');
  const signal = options.signal;

  let streamId: string | undefined;
  let framing: Framing | undefined;
  let firstResponse: Response | undefined;
  let resumes = 0;
  let parser: Parser | undefined;
  let started = false;
  /** A soft end (a `finish_reason` chunk) was seen: a clean close from now on is the proper end. */
  let softEnd = false;
  /** The highest SSE id handed out; events at or below it (a server replaying) are skipped. */
  let highestId = 0;

  async function* run(): AsyncGenerator<StreamEvent, void, undefined> {
    throwIfAborted(signal);
    const conn = new AbortController();
    const unlink = linkAbort(conn, signal, isRequest(source) ? source.init?.signal : undefined);
    try {
      yield* follow(conn);
    } finally {
      unlink();
    }
  }

  async function* follow(conn: AbortController): AsyncGenerator<StreamEvent, void, undefined> {
    let response: Response;
    try {
      response = await openFirst(conn.signal);
    } catch (error) {
      throwIfAborted(signal);
      throw error;
    }
    firstResponse = response;
    streamId = response.headers.get(STREAM_ID_HEADER) ?? undefined;
    if (!response.ok) {
      const body = await readBody(response);
      throw new TokenpakStreamError(
        'http',
        `TokenPak answered ${response.status}: ${errorBodyMessage(body) || response.statusText}`,
        { status: response.status, body, streamId },
      );
    }
    framing = framingOf(response);
    parser = framing === 'sse' ? new SseParser() : new NdjsonParser();
    const resumeUrl = resumeBase(response);
    let failures = 0;

    for (;;) {
      const outcome: Outcome = yield* readConnection(response, parser);
      if (outcome.kind === 'end') return;
      if (outcome.progressed) failures = 0;
      if (streamId === undefined || resumeUrl === undefined) {
        throw new TokenpakStreamError(
          'not-resumable',
          streamId === undefined
            ? `The connection dropped (${describe(outcome.error)}) and the response carried no ${STREAM_ID_HEADER} header, so the stream cannot be resumed (resume disabled on the server, or not a TokenPak server; in a browser, the server must expose the header through CORS).`
            : `The connection dropped (${describe(outcome.error)}) and the TokenPak URL is unknown: pass the baseUrl option to resume stream ${streamId}.`,
          { streamId, cause: outcome.error },
        );
      }
      const next = await reconnect(streamId, resumeUrl, outcome.error, failures);
      response = next.response;
      failures = next.failures;
      resumes++;
    }
  }

  async function openFirst(connSignal: AbortSignal): Promise<Response> {
    if (isRequest(source)) return fetchImpl(source.url, { ...source.init, signal: connSignal });
    const value = typeof source === 'function' ? source() : source;
    return await untilAborted(Promise.resolve(value), signal);
  }

  /** The resume URL without the stream id, or undefined when no URL is known. */
  function resumeBase(response: Response): URL | undefined {
    try {
      if (options.baseUrl !== undefined) {
        const url = new URL(options.baseUrl, globalLocation());
        url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '') + '/v1/streams/';
        url.search = '';
        url.hash = '';
        return url;
      }
      const from = response.url || (isRequest(source) ? String(source.url) : '');
      if (from === '') return undefined;
      const url = new URL(from, globalLocation());
      const at = url.pathname.lastIndexOf('/v1/');
      url.pathname = (at === -1 ? '' : url.pathname.slice(0, at)) + '/v1/streams/';
      url.search = '';
      url.hash = '';
      return url;
    } catch {
      return undefined;
    }
  }

  function resumeHeaders(): Headers {
    const headers = new Headers();
    if (isRequest(source) && source.init?.headers !== undefined) {
      const original = new Headers(source.init.headers);
      for (const name of ['authorization', 'x-api-key']) {
        const value = original.get(name);
        if (value !== null) headers.set(name, value);
      }
    }
    if (options.headers !== undefined) {
      new Headers(options.headers).forEach((value, name) => {
        headers.set(name, value);
      });
    }
    headers.set('accept', framing === 'ndjson' ? 'application/x-ndjson' : 'text/event-stream');
    if (framing === 'sse') headers.set('last-event-id', (parser as SseParser).lastEventId || '0');
    return headers;
  }

  /** Waits and reconnects until a resume is answered 200, or fails for good. */
  async function reconnect(
    id: string,
    base: URL,
    dropError: unknown,
    failuresSoFar: number,
  ): Promise<{ response: Response; failures: number }> {
    let failures = failuresSoFar;
    let lastError = dropError;
    let retryAfter: number | undefined;
    for (;;) {
      if (failures >= maxRetries) {
        throw new TokenpakStreamError(
          'retries-exhausted',
          maxRetries === 0
            ? `TokenPak stream ${id}: the connection dropped (${describe(lastError)}) and maxRetries is 0.`
            : `TokenPak stream ${id}: gave up after ${failures} reconnect attempt${failures === 1 ? '' : 's'} in a row without receiving an event; last failure: ${describe(lastError)}.`,
          { streamId: id, attempts: failures, cause: lastError },
        );
      }
      failures++;
      const jitter = backoffDelay(failures, backoffMs, maxBackoffMs);
      const delayMs =
        retryAfter === undefined ? jitter : Math.min(maxBackoffMs, Math.max(jitter, retryAfter));
      options.onRetry?.({ streamId: id, attempt: failures, delayMs, error: lastError });
      await sleep(delayMs, signal);

      const url = new URL(encodeURIComponent(id), base);
      if (framing === 'ndjson') url.searchParams.set('after', String((parser as NdjsonParser).count));
      const conn = new AbortController();
      const unlink = linkAbort(conn, signal);
      let response: Response;
      try {
        response = await fetchImpl(url, { method: 'GET', headers: resumeHeaders(), signal: conn.signal });
      } catch (error) {
        throwIfAborted(signal);
        lastError = error;
        retryAfter = undefined;
        continue;
      } finally {
        unlink();
      }
      if (response.ok) {
        const resumed = framingOf(response, id);
        if (resumed !== framing) {
          await discard(response);
          throw new TokenpakStreamError(
            'not-a-stream',
            `TokenPak stream ${id}: the resume answered ${resumed} but the stream is ${framing}.`,
            { streamId: id, status: response.status },
          );
        }
        return { response, failures };
      }
      const status = response.status;
      if (status === 408 || status === 425 || status === 429 || status >= 500) {
        retryAfter = retryAfterMs(response.headers.get('retry-after'));
        const body = await readBody(response);
        lastError = new Error(
          `the resume was answered ${status}: ${errorBodyMessage(body) || response.statusText}`,
        );
        continue;
      }
      const body = await readBody(response);
      const said = errorBodyMessage(body) || response.statusText;
      const received =
        framing === 'ndjson'
          ? `${(parser as NdjsonParser).count} lines`
          : `events up to id ${(parser as SseParser).lastEventId || 0}`;
      if (status === 404) {
        throw new TokenpakStreamError(
          'not-found',
          `TokenPak stream ${id} cannot be resumed: the server answered 404, it does not know the stream (expired or evicted, or served by another instance): ${said}. ${received} had been received.`,
          { streamId: id, status, body, cause: dropError },
        );
      }
      throw new TokenpakStreamError(
        'resume-rejected',
        `TokenPak stream ${id} cannot be resumed: the server answered ${status}: ${said}.${status === 401 || status === 403 ? ' Resumes need the key that started the stream (options.headers).' : ''}`,
        { streamId: id, status, body, cause: dropError },
      );
    }
  }

  /** Reads one connection's body; returns at the proper end or at a drop, throws on an in-band error. */
  async function* readConnection(
    response: Response,
    parser: Parser,
  ): AsyncGenerator<StreamEvent, Outcome, undefined> {
    const body = response.body;
    if (body === null) {
      throw new TokenpakStreamError('not-a-stream', 'The TokenPak response has no body.', { streamId });
    }
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let progressed = false;
    let idle = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    const onAbort = (): void => {
      reader.cancel(signal?.reason).catch(noop);
    };
    signal?.addEventListener('abort', onAbort);

    function* deliver(events: StreamEvent[]): Generator<StreamEvent, boolean, undefined> {
      for (const event of events) {
        if (event.id !== undefined) {
          if (event.id <= highestId) continue;
          highestId = event.id;
        }
        progressed = true;
        const end = classifyEvent(event);
        if (end === 'error') {
          throw new TokenpakStreamError(
            'stream-error',
            `TokenPak stream${streamId === undefined ? '' : ' ' + streamId} ended with an error: ${describeFailure(event)}`,
            { streamId, event },
          );
        }
        yield event;
        if (end === 'end') return true;
        if (end === 'soft-end') softEnd = true;
      }
      return false;
    }

    try {
      for (;;) {
        if (idleTimeoutMs > 0) {
          timer = setTimeout(() => {
            idle = true;
            reader.cancel().catch(noop);
          }, idleTimeoutMs);
        }
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          closed = true;
          throwIfAborted(signal);
          parser.reset();
          return { kind: 'drop', progressed, error: idle ? idleError() : error };
        } finally {
          clearTimeout(timer);
        }
        throwIfAborted(signal);
        if (chunk.done) {
          closed = true;
          if (idle) {
            parser.reset();
            return { kind: 'drop', progressed, error: idleError() };
          }
          const tail = parser.push(decoder.decode());
          if (parser instanceof NdjsonParser) tail.push(...parser.flush());
          if (yield* deliver(tail)) return { kind: 'end' };
          parser.reset();
          if (softEnd) return { kind: 'end' };
          return {
            kind: 'drop',
            progressed,
            error: new Error('the server closed the connection before the end of the stream'),
          };
        }
        if (yield* deliver(parser.push(decoder.decode(chunk.value, { stream: true }))))
          return { kind: 'end' };
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (!closed) reader.cancel().catch(noop);
      try {
        reader.releaseLock();
      } catch {
        // a read still pending: the cancel above ends it
      }
    }
  }

  function framingOf(response: Response, id = streamId): Framing {
    const type = (response.headers.get('content-type') ?? '').toLowerCase();
    if (type.includes('ndjson') || type.includes('jsonl')) return 'ndjson';
    if (type === '' || type.includes('event-stream')) return 'sse';
    throw new TokenpakStreamError(
      'not-a-stream',
      `The TokenPak response is not a stream (content-type ${type}): send "stream": true.`,
      { streamId: id, status: response.status },
    );
  }

  const stream: TokenpakStream = {
    [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
      if (started) throw new Error('A TokenPak stream can be iterated once (events or text(), not both).');
      started = true;
      return run();
    },
    text(): AsyncIterable<string> {
      return {
        async *[Symbol.asyncIterator]() {
          for await (const event of stream) {
            const text = textDelta(event);
            if (text !== undefined && text !== '') yield text;
          }
        },
      };
    },
    get streamId() {
      return streamId;
    },
    get resumes() {
      return resumes;
    },
    get framing() {
      return framing;
    },
    get lastEventId() {
      return parser instanceof SseParser ? parser.lastEventId : undefined;
    },
    get linesReceived() {
      return parser instanceof NdjsonParser ? parser.count : 0;
    },
    get response() {
      return firstResponse;
    },
  };
  return stream;
}

function isRequest(source: StreamSource): source is StreamRequest {
  return (
    typeof source === 'object' &&
    source !== null &&
    'url' in source &&
    !('then' in source) &&
    !('headers' in source && 'status' in source)
  );
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new RangeError(`${name} must be a number ≥ 0, got ${String(value)}`);
  }
  return value;
}

function globalLocation(): string | undefined {
  const location = (globalThis as { location?: { href?: string } }).location;
  return typeof location?.href === 'string' ? location.href : undefined;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** Aborts `target` when any of the signals aborts; returns the function that removes the listeners. */
function linkAbort(target: AbortController, ...signals: (AbortSignal | null | undefined)[]): () => void {
  const undo: (() => void)[] = [];
  for (const signal of signals) {
    if (!signal) continue;
    if (signal.aborted) {
      target.abort(signal.reason);
      continue;
    }
    const onAbort = (): void => target.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    undo.push(() => signal.removeEventListener('abort', onAbort));
  }
  return () => {
    for (const fn of undo) fn();
  };
}

/** The promise, or the signal's reason as soon as it aborts (a caller's promise cannot be cancelled). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  throwIfAborted(signal);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const MAX_ERROR_BODY = 65536;

async function readBody(response: Response): Promise<string> {
  try {
    const text = await response.text();
    return text.length > MAX_ERROR_BODY ? text.slice(0, MAX_ERROR_BODY) : text;
  } catch {
    return '';
  }
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(noop);
}

function idleError(): Error {
  return new Error('nothing arrived for idleTimeoutMs');
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message && cause.message !== error.message) {
    return `${error.message}: ${cause.message}`;
  }
  return error.message;
}

function noop(): void {}
