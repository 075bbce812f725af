/**
 * Reading a provider's events in batches. A `ReadableStream<StreamEvent>` hands out one event per `read()`,
 * and every read is a promise: at thousands of events per second that is a large share of a translated
 * stream's CPU time. Streams made by `decodeSseStream` (every HTTP provider's) therefore also carry, under
 * the `EVENT_BATCHES` symbol, the batch source they are built on: `read()` resolves with every event decoded
 * from one network chunk, as one array, so a consumer pays one promise per network chunk instead of one per
 * event. The stream stays an ordinary ReadableStream for everyone else (third-party providers, `pipeThrough`);
 * `openEventBatches` is how a consumer asks for them (and reads the stream itself when they are not there).
 */
import type { StreamEvent } from '@tokenpak/provider';

export interface EventBatchSource {
  /** The next events (never empty), or undefined at the end. Failures arrive as a final `error` event. */
  read(): Promise<StreamEvent[] | undefined>;
  /** Stops reading and aborts the upstream. */
  cancel(reason?: unknown): Promise<void>;
}

/** The property of a decoded event stream that holds its batch source. */
export const EVENT_BATCHES: unique symbol = Symbol.for('tokenpak.eventBatches');

type WithBatches = ReadableStream<StreamEvent> & { [EVENT_BATCHES]?: EventBatchSource };

/** Attaches `source` to `stream` (which must read from the same source). */
export function withEventBatches(
  stream: ReadableStream<StreamEvent>,
  source: EventBatchSource,
): ReadableStream<StreamEvent> {
  (stream as WithBatches)[EVENT_BATCHES] = source;
  return stream;
}

/**
 * The batch source of `stream`, when it has one and nobody reads it yet; the stream is then locked, so that
 * nothing else reads it. Undefined otherwise: read the stream itself.
 */
export function openEventBatches(stream: ReadableStream<StreamEvent>): EventBatchSource | undefined {
  const source = (stream as WithBatches)[EVENT_BATCHES];
  if (source === undefined || stream.locked) return undefined;
  stream.getReader();
  return source;
}
