/**
 * Upstream SSE bytes → canonical events, as one pull-based ReadableStream. Each network chunk runs, in plain
 * calls, through UTF-8 decoding (TextDecoder, `stream: true`), SSE parsing (eventsource-parser's
 * `createParser`, WHATWG-correct: CRLF, CR, events split across chunks, comments, BOM) and the dialect's
 * decoder stage; every event of the chunk is enqueued before the reader resumes, so a consumer can take
 * them as one batch.
 *
 * The guarantees of `guardEvents` are built in: a failure while reading or decoding becomes a final `error`
 * event instead of a thrown error, input that stops without `finish` or `error` gets an error event, errors
 * pass through `fixError` (redaction), and `onEnd` learns the outcome exactly once. Cancelling the stream
 * cancels the body, which aborts the upstream request; an unexpected decoding failure does the same.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ProviderError, toProviderError } from '../canonical/errors.ts';
import type { StreamEvent } from '../canonical/events.ts';
import type { SseMessage } from '../sse/parse-sse.ts';
import type { StreamStage } from './stream-stage.ts';

export interface DecodeSseStreamOptions {
  /** Provider name, for errors. */
  provider: string;
  /** Called once: with no error after `finish`, or with the final error. Not called when cancelled. */
  onEnd?: (error?: ProviderError) => void;
  /** Rewrites errors before they are emitted (e.g. to redact secrets). */
  fixError?: (error: ProviderError) => ProviderError;
}

export function decodeSseStream(
  body: ReadableStream<Uint8Array>,
  decoder: StreamStage<SseMessage, StreamEvent>,
  options: DecodeSseStreamOptions,
): ReadableStream<StreamEvent> {
  const { provider, onEnd } = options;
  const fixError = options.fixError ?? ((error: ProviderError) => error);
  const reader = body.getReader();
  const text = new TextDecoder();
  let controller!: ReadableStreamDefaultController<StreamEvent>;
  /** Whether the outcome is known (and `onEnd` called, unless cancelled). */
  let ended = false;
  let closed = false;
  /** Events enqueued by the current pull. */
  let enqueued = 0;

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
    controller.enqueue(event);
    enqueued++;
  };

  const parser = createParser({
    onEvent: (message: EventSourceMessage) => decoder.push(message, emit),
  });

  const close = (): void => {
    if (closed) return;
    closed = true;
    controller.close();
  };

  /** Ends the stream with an error event (unless the outcome is already known), then closes it. */
  const failWith = (error: ProviderError): void => {
    if (closed) return;
    if (!ended) {
      end(error);
      controller.enqueue({ type: 'error', error });
    }
    close();
  };

  const finishInput = (): void => {
    const rest = text.decode();
    if (rest.length > 0) parser.feed(rest);
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
      return;
    }
    close();
  };

  return new ReadableStream<StreamEvent>(
    {
      start(c) {
        controller = c;
      },
      async pull() {
        enqueued = 0;
        // Read until this pull has something to give (or the stream is over).
        while (enqueued === 0) {
          let result: ReadableStreamReadResult<Uint8Array>;
          try {
            result = await reader.read();
          } catch (cause) {
            failWith(fixError(toProviderError(cause, provider)));
            return;
          }
          if (closed) return; // cancelled while reading
          try {
            if (result.done) {
              finishInput();
              return;
            }
            parser.feed(text.decode(result.value, { stream: true }));
          } catch (cause) {
            // A decoder bug: stop the upstream and end with the error.
            reader.cancel(cause).catch(() => {});
            failWith(fixError(toProviderError(cause, provider)));
            return;
          }
        }
      },
      cancel(reason) {
        ended = true;
        closed = true;
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
