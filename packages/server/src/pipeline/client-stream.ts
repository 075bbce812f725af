/**
 * The body of every streamed response, for both paths (translated events and same-dialect bytes): a pull-based
 * ReadableStream over a ChunkSource, with the heartbeat, the concurrency slot, the abort of the upstream and the
 * request's log line, each handled exactly once whatever ends the stream (end, upstream error, client
 * disconnect, shutdown).
 */
import { ProviderError, type StreamReport, toProviderError } from '@tokenpak/providers';
import type { FramingName } from '../framing/framing.ts';
import type { ClientGone } from '../http/client-gone.ts';
import type { Slot } from '../limits/concurrency-limiter.ts';
import type { RequestOutcome } from '../metrics/gateway-metrics.ts';
import type { StreamLog } from '../resume/stream-log.ts';
import type { RequestTrace } from './request-trace.ts';

/**
 * What a path provides: whole events (or whole batches of events) as bytes, or as text when the server writes
 * strings itself (see `EventPipelineOptions.writeText`).
 */
export interface ChunkSource {
  /** The next bytes (or text) to write, or undefined at the end. Rejects when the upstream fails mid-stream. */
  next(): Promise<Uint8Array | string | undefined>;
  /** Stops reading (client gone, shutdown). Never throws. */
  cancel(reason: unknown): void;
  /** The client dialect's error event, framed, to write before closing after a failure. */
  errorEvent(error: ProviderError): Uint8Array | undefined;
  /** Whether content has gone by yet (asked after every write, for time to first token). */
  contentSeen(): boolean;
  /** What the stream showed: usage, an in-stream error. Both paths report the same facts for the same stream. */
  report(): StreamReport;
  /** Events written so far (SSE events, NDJSON lines): the stream log counts them without reading the bytes. */
  eventsWritten(): number;
}

export interface ClientStreamOptions {
  trace: RequestTrace;
  slot: Slot;
  /** Aborts the upstream call; aborted on client disconnect and on shutdown. */
  abort: AbortController;
  /** Tells when the client hangs up (see http/client-gone.ts). */
  clientGone?: ClientGone;
  /** Heartbeat bytes written after `heartbeatMs` without upstream data; undefined for none. */
  heartbeat?: Uint8Array;
  heartbeatMs: number;
  /**
   * Resumable streams: every event written is appended to this log. When the client goes, the upstream is
   * not cancelled at once: it is read into the log for `graceMs`, and cancelled then only if no reader has
   * come back (`GET /v1/streams/{id}`).
   */
  resume?: { log: StreamLog; framing: FramingName; graceMs: number };
  /** Give a body srvx's Node adapter pipes into the Node response (see `ClientStream.body`), not a web stream. */
  nodeBody?: boolean;
}

export interface ClientStream {
  /**
   * The response body. A ReadableStream, or (with `nodeBody`) an object srvx's Node adapter pipes into the
   * Node response: TokenPak then writes each chunk with `res.write`, without a web stream and its reader in
   * between (fewer promises and allocations per chunk).
   */
  body: ReadableStream<Uint8Array> | NodeBody;
  /** Ends the stream now: the dialect's error event, then a clean close (used at shutdown). */
  terminate(reason: string): void;
}

/** The part of Node's ServerResponse the pump writes to. */
export interface NodeWritable {
  write(chunk: Uint8Array | string): boolean;
  end(): unknown;
  readonly writableEnded: boolean;
  readonly writableNeedDrain: boolean;
  readonly destroyed: boolean;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

/**
 * What srvx's Node adapter accepts as a body it pipes (it has `pipe` and no `on`): `destroy` is called instead
 * of `pipe` when the client is already gone, `abort` when something wrapped the body in a Node stream.
 */
export interface NodeBody {
  pipe(res: NodeWritable): void;
  destroy(): void;
  abort(): void;
}

type Timer = ReturnType<typeof setTimeout> & { refresh?: () => unknown };

/** Where the pump writes: a web stream controller or a Node response. */
interface Sink {
  write(chunk: Uint8Array | string): void;
  close(): void;
}

export function createClientStream(source: ChunkSource, options: ClientStreamOptions): ClientStream {
  const { trace, slot, abort, clientGone, heartbeat, heartbeatMs, resume } = options;
  let unsubscribe: (() => void) | undefined;
  let sink!: Sink;
  let done = false;
  let timer: Timer | undefined;
  /** Set when the client left and the upstream is being read into the log for a reader to come back. */
  let draining = false;
  /** The source read a step is waiting for: a drain that starts meanwhile takes its result over. */
  let inflight: Promise<Uint8Array | string | undefined> | undefined;

  /** Events already in the log. */
  let logged = 0;
  const record = (chunk: Uint8Array | string | undefined): void => {
    if (!resume || chunk === undefined) return;
    const written = source.eventsWritten();
    resume.log.append(chunk, written - logged);
    logged = written;
  };

  const end = (outcome: RequestOutcome, error?: ProviderError): void => {
    if (done) return;
    done = true;
    resume?.log.end();
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    unsubscribe?.();
    slot.release();
    trace.finish(200, outcome, error, source.report().usage);
  };

  const closeSink = (): void => {
    try {
      sink.close();
    } catch {
      // Already closed or cancelled.
    }
  };

  const fail = (error: ProviderError, outcome: RequestOutcome): void => {
    if (done) return;
    const bytes = source.errorEvent(error);
    record(bytes);
    if (!draining) {
      try {
        if (bytes) sink.write(bytes);
      } catch {
        // The consumer is already gone: nothing more to write.
      }
      closeSink();
    }
    end(outcome, error);
  };

  /** The client left: read the upstream into the log; cancel it when the grace ends with no reader back. */
  const drain = async (log: StreamLog, graceMs: number): Promise<void> => {
    draining = true;
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    const grace = setTimeout(() => {
      if (done || log.readerCount > 0) return;
      abort.abort();
      source.cancel('client disconnected');
      end('cancelled');
    }, graceMs);
    try {
      for (;;) {
        let chunk: Uint8Array | string | undefined;
        try {
          const pending = inflight;
          inflight = undefined;
          chunk = await (pending ?? source.next());
        } catch (error) {
          if (!done) fail(toProviderError(error), 'upstream_error');
          return;
        }
        if (done) return;
        if (chunk === undefined) {
          const { error } = source.report();
          end(error ? 'upstream_error' : 'ok', error);
          return;
        }
        record(chunk);
      }
    } finally {
      clearTimeout(grace);
    }
  };

  const beat = (): void => {
    if (done || draining || !heartbeat) return;
    try {
      sink.write(heartbeat);
    } catch {
      return;
    }
    arm();
  };

  const arm = (): void => {
    if (done || !heartbeat || heartbeatMs <= 0) return;
    if (timer === undefined) timer = setTimeout(beat, heartbeatMs) as Timer;
    else if (typeof timer.refresh === 'function') timer.refresh();
    else {
      clearTimeout(timer);
      timer = setTimeout(beat, heartbeatMs) as Timer;
    }
  };

  /** The client hung up (or stopped reading) before the end. */
  const leave = (reason: unknown): void => {
    if (done || draining) return;
    if (resume && resume.graceMs > 0) {
      void drain(resume.log, resume.graceMs);
      return;
    }
    abort.abort();
    source.cancel(reason);
    end('cancelled');
  };

  function onClientGone(): void {
    if (done || draining) return;
    leave('client disconnected');
    closeSink();
  }

  /** Writes the next chunk; false once the stream is over (ended, failed, or the client left). */
  const step = async (): Promise<boolean> => {
    if (done || draining) return false;
    let chunk: Uint8Array | string | undefined;
    const next = source.next();
    inflight = next;
    try {
      chunk = await next;
    } catch (error) {
      if (!done && !draining) fail(toProviderError(error), 'upstream_error');
      return false;
    } finally {
      if (inflight === next) inflight = undefined;
    }
    // The client left while this read was pending: the drain took its result over.
    if (done || draining) return false;
    if (chunk === undefined) {
      closeSink();
      const { error } = source.report();
      end(error ? 'upstream_error' : 'ok', error);
      return false;
    }
    record(chunk);
    sink.write(chunk);
    if (trace.ttftMs === undefined && source.contentSeen()) trace.markFirstContent();
    arm();
    return true;
  };

  const start = (): void => {
    unsubscribe = clientGone?.subscribe(onClientGone);
    arm();
  };

  const body: ClientStream['body'] = options.nodeBody
    ? {
        pipe: (res) => void pump(res),
        destroy: () => leave('client disconnected'),
        abort: () => leave('client disconnected'),
      }
    : new ReadableStream<Uint8Array>({
        start(c) {
          sink = {
            // A string only comes from a source told that srvx's Node adapter writes this body (res.write).
            write: (chunk) => c.enqueue(chunk as Uint8Array),
            close: () => c.close(),
          };
          start();
        },
        async pull() {
          await step();
        },
        cancel(reason) {
          leave(reason);
        },
      });

  /** The Node loop: write what each read gives, wait for `drain` when the socket's buffer is full. */
  async function pump(res: NodeWritable): Promise<void> {
    sink = {
      write: (chunk) => {
        if (!res.destroyed && !res.writableEnded) res.write(chunk);
      },
      close: () => {
        if (!res.writableEnded) res.end();
      },
    };
    start();
    while (await step()) {
      if (res.destroyed) return;
      if (res.writableNeedDrain) {
        await new Promise<void>((resolve) => {
          const go = (): void => {
            res.off('drain', go);
            res.off('close', go);
            resolve();
          };
          res.once('drain', go);
          res.once('close', go);
        });
      }
    }
  }

  return {
    body,
    terminate(reason) {
      if (done) return;
      abort.abort();
      source.cancel(reason);
      fail(
        new ProviderError({ type: 'overloaded', message: `TokenPak is shutting down: ${reason}` }),
        'shutdown',
      );
    },
  };
}
