/**
 * Upstream NDJSON bytes → canonical events: `decodeSseStream`'s twin for NDJSON streams (Ollama). Each network
 * chunk runs, in plain calls, through NDJSON parsing (`createNdjsonParser`: lines split across chunks, CRLF,
 * blank lines, a last line without newline) and the dialect's decoder stage, which gets one parsed JSON
 * value per line. Every event of the chunk is enqueued before the reader resumes, and the stream offers them
 * as one array through its batch source (see event-batches.ts).
 *
 * Same guarantees as `decodeSseStream`: a failure while reading or decoding becomes a final `error` event
 * instead of a thrown error; a line that is not JSON ends the stream with a `bad_upstream` error naming the
 * line and aborts the upstream; input that stops without `finish` or `error` gets an error event; errors pass
 * through `fixError` (redaction); `onEnd` learns the outcome exactly once (not when cancelled). Cancelling the
 * stream cancels the body, which aborts the upstream request.
 */

import type { StreamEvent, StreamStage } from '@tokenpak/provider';
import { ProviderError, toProviderError } from '@tokenpak/provider';
import { type ByteReader, webByteReader } from '../http/byte-reader.ts';
import { type EventBatchSource, withEventBatches } from '../stream/event-batches.ts';
import { createNdjsonParser, NdjsonLineError } from './parse-ndjson.ts';

export interface DecodeNdjsonStreamOptions {
  /** Provider name, for errors. */
  provider: string;
  /** Called once: with no error after `finish`, or with the final error. Not called when cancelled. */
  onEnd?: (error?: ProviderError) => void;
  /** Rewrites errors before they are emitted (e.g. to redact secrets). */
  fixError?: (error: ProviderError) => ProviderError;
}

export function decodeNdjsonStream(
  body: ReadableStream<Uint8Array> | ByteReader,
  decoder: StreamStage<unknown, StreamEvent>,
  options: DecodeNdjsonStreamOptions,
): ReadableStream<StreamEvent> {
  const source = decodeNdjsonBatches(body, decoder, options);
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

function notJsonError(provider: string, error: NdjsonLineError): ProviderError {
  return new ProviderError({
    type: 'bad_upstream',
    provider,
    message: `upstream ${provider} sent a line that is not JSON (line ${error.line}): ${error.text}`,
    cause: error,
  });
}

function decodeNdjsonBatches(
  body: ReadableStream<Uint8Array> | ByteReader,
  decoder: StreamStage<unknown, StreamEvent>,
  options: DecodeNdjsonStreamOptions,
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

  const parser = createNdjsonParser((value) => decoder.push(value, emit));

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
    parser.end();
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
          else parser.feed(chunk);
        } catch (cause) {
          // A line that is not JSON, or a decoder bug: stop the upstream and end with the error.
          if (chunk !== undefined) reader.cancel(cause).catch(() => {});
          failWith(
            fixError(
              cause instanceof NdjsonLineError
                ? notJsonError(provider, cause)
                : toProviderError(cause, provider),
            ),
          );
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
