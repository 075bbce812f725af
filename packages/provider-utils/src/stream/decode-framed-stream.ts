/**
 * Upstream stream bytes → canonical events, as one pull-based ReadableStream, whatever the framing: a `Framer`
 * turns each network chunk into the dialect's messages (SSE messages, NDJSON values) and the dialect's decoder
 * stage turns those into events, in plain calls; every event of the chunk is enqueued before the reader
 * resumes, and the stream also offers them as one array through its batch source (see event-batches.ts).
 *
 * The guarantees of `guardEvents` are built in: a failure while reading or decoding becomes a final `error`
 * event instead of a thrown error, input that stops without `finish` or `error` gets an error event, errors
 * pass through `fixError` (redaction), and `onEnd` learns the outcome exactly once (not when cancelled).
 * Cancelling the stream cancels the body, which aborts the upstream request; a framing or decoding failure
 * does the same.
 */
import type { StreamEvent, StreamStage } from '@tokenpak/provider';
import { ProviderError, toProviderError } from '@tokenpak/provider';
import { type ByteReader, webByteReader } from '../http/byte-reader.ts';
import { type EventBatchSource, withEventBatches } from './event-batches.ts';

/** Bytes → messages for one stream (fresh per stream). Throws on input it cannot frame. */
export interface Framer<Message> {
  feed(chunk: Uint8Array, push: (message: Message) => void): void;
  /** The input is over: pushes what is still held (a last event or line without its terminator). */
  end(push: (message: Message) => void): void;
  /** The error for a failure `feed` threw, when the framer knows better than a generic one. */
  errorFor?(cause: unknown, provider: string): ProviderError | undefined;
}

export interface DecodeStreamOptions {
  /** Provider name, for errors. */
  provider: string;
  /** Called once: with no error after `finish`, or with the final error. Not called when cancelled. */
  onEnd?: (error?: ProviderError) => void;
  /** Rewrites errors before they are emitted (e.g. to redact secrets). */
  fixError?: (error: ProviderError) => ProviderError;
}

export function decodeFramedStream<Message>(
  body: ReadableStream<Uint8Array> | ByteReader,
  framer: Framer<Message>,
  decoder: StreamStage<Message, StreamEvent>,
  options: DecodeStreamOptions,
): ReadableStream<StreamEvent> {
  const source = framedBatches(body, framer, decoder, options);
  const stream = new ReadableStream<StreamEvent>(
    {
      async pull(controller) {
        const events = await source.read();
        if (events === undefined) {
          if (!source.cancelled) controller.close();
          return;
        }
        for (const event of events) controller.enqueue(event);
      },
      cancel: (reason) => source.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  return withEventBatches(stream, source);
}

/** The batch source behind `decodeFramedStream`: every event of one network chunk per `read()`. */
function framedBatches<Message>(
  body: ReadableStream<Uint8Array> | ByteReader,
  framer: Framer<Message>,
  decoder: StreamStage<Message, StreamEvent>,
  options: DecodeStreamOptions,
): EventBatchSource & { readonly cancelled: boolean } {
  const { provider, onEnd } = options;
  const fixError = options.fixError ?? ((error: ProviderError) => error);
  const reader = body instanceof ReadableStream ? webByteReader(body) : body;
  /** Events decoded and not yet handed out. */
  let batch: StreamEvent[] = [];
  /** Whether the outcome is known (and `onEnd` called, unless cancelled). */
  let ended = false;
  /** Whether the input is over (ended, failed): nothing more to read. */
  let finished = false;
  let cancelled = false;

  const end = (error?: ProviderError): void => {
    if (ended) return;
    ended = true;
    onEnd?.(error);
  };

  const emit = (event: StreamEvent): void => {
    if (event.type === 'finish') end();
    else if (event.type === 'error') {
      const error = fixError(event.error);
      if (error !== event.error) event = { type: 'error', error };
      end(error);
    }
    batch.push(event);
  };
  const push = (message: Message): void => decoder.push(message, emit);

  /** Ends the events with an error event (unless the outcome is already known). */
  const failWith = (error: ProviderError): void => {
    if (finished) return;
    finished = true;
    if (!ended) {
      end(error);
      batch.push({ type: 'error', error });
    }
  };

  const finishInput = (): void => {
    framer.end(push);
    decoder.end(emit);
    if (!ended) {
      failWith(
        fixError(
          new ProviderError({
            type: 'bad_upstream',
            provider,
            message: `upstream ${provider} ended the stream before it finished`,
          }),
        ),
      );
    }
    finished = true;
  };

  return {
    get cancelled() {
      return cancelled;
    },
    async read() {
      // Read until there is something to give (or the input is over).
      while (batch.length === 0) {
        if (finished || cancelled) return undefined;
        let chunk: Uint8Array | undefined;
        try {
          chunk = await reader.read();
        } catch (cause) {
          if (cancelled) return undefined;
          failWith(fixError(toProviderError(cause, provider)));
          continue;
        }
        if (cancelled) return undefined; // cancelled while reading
        try {
          if (chunk === undefined) finishInput();
          else framer.feed(chunk, push);
        } catch (cause) {
          // Input that cannot be framed, or a decoder bug: stop the upstream and end with the error.
          if (chunk !== undefined) reader.cancel(cause).catch(() => {});
          failWith(fixError(framer.errorFor?.(cause, provider) ?? toProviderError(cause, provider)));
        }
      }
      const events = batch;
      batch = [];
      return events;
    },
    cancel(reason) {
      ended = true;
      cancelled = true;
      return reader.cancel(reason);
    },
  };
}
