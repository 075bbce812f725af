/**
 * The translated path: canonical events → (coalesce) → watch (usage, first content, errors) → client dialect's
 * encoder → framing. The result is a ChunkSource for createClientStream; what the events showed comes out of
 * its `report()`, as the fast path's does.
 *
 * Everything after the coalescer runs as plain calls in one source: the events of one network chunk are
 * taken in one go, encoded, framed and concatenated, and written as one Uint8Array. An HTTP provider's
 * stream hands them over as one array (its batch source, see `openEventBatches`): one promise per network
 * chunk. Any other stream (third-party providers, the coalescer's output) is read event by event, and the
 * events already waiting in it are taken in one go: a batch never waits for I/O, it ends as soon as the
 * next event is not already there.
 */
import {
  type Dialect,
  type EncodeStreamOptions,
  type EventBatchSource,
  isDelta,
  mergeDeltas,
  mergeUsage,
  openEventBatches,
  type ProviderError,
  type StreamEvent,
  type StreamReport,
  type Usage,
  type WireEvent,
} from '@tokenpak/providers';
import { coalesce } from '@tokenpak/stream-buffer';
import type { Framing } from '../framing/framing.ts';
import type { ChunkSource } from './client-stream.ts';

export interface EventPipelineOptions {
  dialect: Dialect;
  framing: Framing;
  encoder: TextEncoder;
  encode: EncodeStreamOptions;
  /**
   * Hand each batch over as text instead of bytes. Only for a body that srvx's Node adapter writes: it passes
   * chunks to `res.write`, which encodes a string to UTF-8 straight into the socket write, and this saves the
   * TextEncoder copy of every batch (a web Response body must otherwise yield bytes).
   */
  writeText?: boolean;
  /**
   * Masks configured secrets in each batch's text (whole events, so a secret never straddles two batches),
   * as the fast path masks its bytes. Default: none.
   */
  redact?: (text: string) => string;
  /** 1 (or less) skips the coalescer entirely. */
  bufferTokens: number;
  flushIntervalMs: number;
}

type ReadResult = ReadableStreamReadResult<StreamEvent>;

/** Settles after any read that is already settled: racing it tells "already there" from "must wait". */
const NOT_READY: Promise<undefined> = Promise.resolve(undefined);

export function eventPipeline(
  events: ReadableStream<StreamEvent>,
  options: EventPipelineOptions,
): ChunkSource {
  const { dialect, framing, encoder } = options;
  // What the events showed on their way to the client (read by `report()`).
  let contentSeen = false;
  let finished = false;
  let usage: Usage = {};
  let streamError: ProviderError | undefined;
  const watch = (event: StreamEvent): void => {
    switch (event.type) {
      case 'text-delta':
      case 'tool-call-delta':
      case 'reasoning-delta':
        contentSeen = true;
        return;
      case 'message-start':
        if (event.usage) usage = mergeUsage(usage, event.usage);
        return;
      case 'usage':
        usage = mergeUsage(usage, event.usage);
        return;
      case 'finish':
        finished = true;
        usage = mergeUsage(usage, event.usage);
        return;
      case 'error':
        streamError = event.error;
        return;
    }
  };
  let canonical = events;
  if (options.bufferTokens > 1) {
    canonical = canonical.pipeThrough(
      coalesce<StreamEvent>({
        bufferTokens: options.bufferTokens,
        flushIntervalMs: options.flushIntervalMs,
        isCoalescable: isDelta,
        merge: (a, b) => (isDelta(a) && isDelta(b) ? mergeDeltas(a, b) : undefined),
      }),
    );
  }
  const batches = canonical === events ? openEventBatches(events) : undefined;
  const reader = batches === undefined ? canonical.getReader() : undefined;
  const stop = (reason: unknown): void => {
    (batches ?? reader!).cancel(reason).catch(() => {});
  };
  const stage = dialect.createStreamEncoder(options.encode);
  /** SSE `id:` of the last framed event. */
  let id = 0;
  /** Framed text of the batch being built. */
  let text = '';
  /** A read started by the last batch that had not settled yet. */
  let pending: Promise<ReadResult> | undefined;
  let ended = false;

  const emit = (wire: WireEvent): void => {
    const framed = framing.format(wire, id + 1);
    if (framed !== undefined) {
      id++;
      text += framed;
    }
  };

  /** An encoder bug: stop reading (which stops the upstream) and fail the stream. */
  const fail = (error: unknown): never => {
    ended = true;
    stop(error);
    throw error;
  };

  /** Runs one event through watch → encoder → framing. */
  const take = (event: StreamEvent): void => {
    try {
      watch(event);
      stage.push(event, emit);
    } catch (error) {
      fail(error);
    }
  };

  /** Set once the framing's end (the JSON array's `]`) is written: nothing may follow it. */
  let closed = false;
  const close = (): string => {
    if (closed || !framing.close) return '';
    closed = true;
    return framing.close(id);
  };

  /** The end of the events: the encoder's last words, then the framing's end. */
  const takeEnd = (): void => {
    ended = true;
    try {
      stage.end(emit);
    } catch (error) {
      fail(error);
    }
    text += close();
  };

  const { writeText, redact } = options;
  /** The batch (as bytes unless `writeText`), or undefined when it is empty. */
  const flush = (): Uint8Array | string | undefined => {
    if (text.length === 0) return undefined;
    const masked = redact ? redact(text) : text;
    const out = writeText ? masked : encoder.encode(masked);
    text = '';
    return out;
  };

  /** From the provider's batch source: one array of events per network chunk. */
  const nextFromBatches = async (source: EventBatchSource): Promise<Uint8Array | string | undefined> => {
    while (!ended) {
      const events = await source.read();
      if (events === undefined) takeEnd();
      else for (let i = 0; i < events.length; i++) take(events[i] as StreamEvent);
      const bytes = flush();
      if (bytes !== undefined) return bytes;
    }
    return undefined;
  };

  /** From a plain reader: the events already waiting are taken in one go. */
  const nextFromReader = async (reader: ReadableStreamDefaultReader<StreamEvent>) => {
    while (!ended) {
      const first = pending ?? reader.read();
      pending = undefined;
      const result = await first;
      if (result.done) takeEnd();
      else {
        take(result.value);
        for (;;) {
          const read = reader.read();
          let ready: ReadResult | undefined;
          try {
            ready = await Promise.race([read, NOT_READY]);
          } catch {
            // Failed read: write what the batch holds first; the next call rethrows.
            pending = read;
            break;
          }
          if (ready === undefined) {
            pending = read;
            break;
          }
          if (ready.done) {
            takeEnd();
            break;
          }
          take(ready.value);
        }
      }
      const bytes = flush();
      if (bytes !== undefined) return bytes;
    }
    return undefined;
  };

  return {
    next() {
      return batches !== undefined ? nextFromBatches(batches) : nextFromReader(reader!);
    },
    cancel(reason) {
      ended = true;
      stop(reason);
    },
    errorEvent(error) {
      if (closed) return undefined;
      const framed = framing.format(dialect.encodeErrorEvent(error), id + 1);
      if (framed === undefined) return undefined;
      id++;
      return encoder.encode(framed + close());
    },
    contentSeen: () => contentSeen,
    eventsWritten: () => id,
    report: (): StreamReport => ({
      contentSeen,
      finished,
      usage,
      ...(streamError && { error: streamError }),
    }),
  };
}
