/**
 * The translated path: canonical events → (coalesce) → watch (usage, first content, errors) → client dialect's
 * encoder → framing. The result is a ChunkSource for createClientStream.
 *
 * Everything after the coalescer runs as plain calls in one source: the events already waiting in the
 * provider's stream (a provider enqueues every event of a network chunk at once) are taken in one go,
 * encoded, framed and concatenated, and written as one Uint8Array. A batch never waits for I/O: it ends
 * as soon as the next event is not already there.
 */
import {
  type Dialect,
  type EncodeStreamOptions,
  isDelta,
  mergeDeltas,
  type StreamEvent,
  type WireEvent,
} from '@tokenpak/providers';
import { coalesce } from '@tokenpak/stream-buffer';
import type { Framing } from '../framing/framing.ts';
import type { ChunkSource } from './client-stream.ts';
import type { RequestTrace } from './request-trace.ts';

export interface EventPipelineOptions {
  dialect: Dialect;
  framing: Framing;
  encoder: TextEncoder;
  trace: RequestTrace;
  encode: EncodeStreamOptions;
  /** 1 (or less) skips the coalescer entirely. */
  bufferTokens: number;
  flushIntervalMs: number;
}

/** Records what the request log and metrics need from one event on its way to the client. */
export function watchEvent(trace: RequestTrace, event: StreamEvent): void {
  switch (event.type) {
    case 'text-delta':
    case 'tool-call-delta':
    case 'reasoning-delta':
      trace.contentSeen = true;
      return;
    case 'message-start':
      if (event.usage) trace.addUsage(event.usage);
      return;
    case 'usage':
    case 'finish':
      trace.addUsage(event.usage);
      return;
    case 'error':
      trace.streamError = event.error;
      return;
  }
}

type ReadResult = ReadableStreamReadResult<StreamEvent>;

/** Settles after any read that is already settled: racing it tells "already there" from "must wait". */
const NOT_READY: Promise<undefined> = Promise.resolve(undefined);

export function eventPipeline(
  events: ReadableStream<StreamEvent>,
  options: EventPipelineOptions,
): ChunkSource {
  const { dialect, framing, encoder, trace } = options;
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
  const reader = canonical.getReader();
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

  /** Runs one read result through watch → encoder → framing; false at the end of the events. */
  const take = (result: ReadResult): boolean => {
    try {
      if (result.done) {
        ended = true;
        stage.end(emit);
        return false;
      }
      watchEvent(trace, result.value);
      stage.push(result.value, emit);
      return true;
    } catch (error) {
      // An encoder bug: stop reading (which stops the upstream) and fail the stream.
      ended = true;
      reader.cancel(error).catch(() => {});
      throw error;
    }
  };

  return {
    async next() {
      while (!ended) {
        const first = pending ?? reader.read();
        pending = undefined;
        if (take(await first)) {
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
            if (!take(ready)) break;
          }
        }
        if (text.length > 0) {
          const bytes = encoder.encode(text);
          text = '';
          return bytes;
        }
      }
      return undefined;
    },
    cancel(reason) {
      ended = true;
      reader.cancel(reason).catch(() => {});
    },
    errorEvent(error) {
      const framed = framing.format(dialect.encodeErrorEvent(error), id + 1);
      if (framed === undefined) return undefined;
      id++;
      return encoder.encode(framed);
    },
  };
}
