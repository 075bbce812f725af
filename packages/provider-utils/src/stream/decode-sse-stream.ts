/**
 * Upstream SSE bytes → canonical events, as one pull-based ReadableStream. Each network chunk runs, in plain
 * calls, through UTF-8 decoding (TextDecoder, `stream: true`), SSE parsing (eventsource-parser's
 * `createParser`, WHATWG-correct: CRLF, CR, events split across chunks, comments, BOM) and the dialect's
 * decoder stage; every event of the chunk is enqueued before the reader resumes, and the stream also offers
 * them as one array through its batch source (see event-batches.ts).
 *
 * The guarantees of `guardEvents` are built in: a failure while reading or decoding becomes a final `error`
 * event instead of a thrown error, input that stops without `finish` or `error` gets an error event, errors
 * pass through `fixError` (redaction), and `onEnd` learns the outcome exactly once. Cancelling the stream
 * cancels the body, which aborts the upstream request; an unexpected decoding failure does the same.
 */

import type { StreamEvent, StreamStage } from '@tokenpak/provider';
import { ProviderError, toProviderError } from '@tokenpak/provider';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { type ByteReader, webByteReader } from '../http/byte-reader.ts';
import type { SseMessage } from '../sse/parse-sse.ts';
import { type EventBatchSource, withEventBatches } from './event-batches.ts';

const LF = 10;
const CR = 13;

export interface DecodeSseStreamOptions {
  /** Provider name, for errors. */
  provider: string;
  /** Called once: with no error after `finish`, or with the final error. Not called when cancelled. */
  onEnd?: (error?: ProviderError) => void;
  /** Rewrites errors before they are emitted (e.g. to redact secrets). */
  fixError?: (error: ProviderError) => ProviderError;
}

export function decodeSseStream(
  body: ReadableStream<Uint8Array> | ByteReader,
  decoder: StreamStage<SseMessage, StreamEvent>,
  options: DecodeSseStreamOptions,
): ReadableStream<StreamEvent> {
  const source = decodeSseBatches(body, decoder, options);
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

/** The batch source behind `decodeSseStream`: every event of one network chunk per `read()`. */
function decodeSseBatches(
  body: ReadableStream<Uint8Array> | ByteReader,
  decoder: StreamStage<SseMessage, StreamEvent>,
  options: DecodeSseStreamOptions,
): EventBatchSource & { readonly cancelled: boolean } {
  const { provider, onEnd } = options;
  const fixError = options.fixError ?? ((error: ProviderError) => error);
  const reader = body instanceof ReadableStream ? webByteReader(body) : body;
  const text = new TextDecoder();
  /** Events decoded and not yet handed out. */
  let batch: StreamEvent[] = [];
  /** Whether the outcome is known (and `onEnd` called, unless cancelled). */
  let ended = false;
  /** Whether the input is over (ended, failed): nothing more to read. */
  let finished = false;
  let cancelled = false;
  /** The input's last byte so far. */
  let lastByte = 0;

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

  const parser = createParser({
    onEvent: (message: EventSourceMessage) => decoder.push(message, emit),
  });

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
    const rest = text.decode();
    if (rest.length > 0) parser.feed(rest);
    // Input that ends with whole lines lacks only the blank line after its last event: that event counts
    // (a final `data: [DONE]` or `message_stop` without it). A partial last line is a cut event: dropped.
    else if (lastByte === LF || lastByte === CR) parser.feed('\n\n');
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
          else {
            if (chunk.byteLength > 0) lastByte = chunk[chunk.byteLength - 1] as number;
            parser.feed(text.decode(chunk, { stream: true }));
          }
        } catch (cause) {
          // A decoder bug: stop the upstream and end with the error.
          reader.cancel(cause).catch(() => {});
          failWith(fixError(toProviderError(cause, provider)));
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
