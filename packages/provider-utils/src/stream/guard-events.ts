/**
 * Makes a decoded event stream safe to read: a failure while reading (socket closed, idle timeout, decoder bug)
 * becomes a final `error` event instead of a thrown error, a stream that stops without `finish` or `error` gets
 * an error event, and `onEnd` learns the outcome exactly once.
 */

import type { StreamEvent } from '@tokenpak/provider';
import { ProviderError, toProviderError } from '@tokenpak/provider';

export function guardEvents(
  source: ReadableStream<StreamEvent>,
  provider: string,
  onEnd?: (error?: ProviderError) => void,
  /** Rewrites errors before they are emitted (e.g. to redact secrets). */
  fixError: (error: ProviderError) => ProviderError = (error) => error,
): ReadableStream<StreamEvent> {
  const reader = source.getReader();
  let ended = false;
  const end = (error?: ProviderError) => {
    if (ended) return;
    ended = true;
    onEnd?.(error);
  };
  return new ReadableStream<StreamEvent>(
    {
      async pull(controller) {
        let result: ReadableStreamReadResult<StreamEvent>;
        try {
          result = await reader.read();
        } catch (cause) {
          if (ended) return;
          const error = fixError(toProviderError(cause, provider));
          end(error);
          controller.enqueue({ type: 'error', error });
          controller.close();
          return;
        }
        if (result.done) {
          if (!ended) {
            const error = fixError(
              new ProviderError({
                type: 'bad_upstream',
                provider,
                message: `upstream ${provider} ended the stream before it finished`,
              }),
            );
            end(error);
            controller.enqueue({ type: 'error', error });
          }
          controller.close();
          return;
        }
        let event = result.value;
        if (event.type === 'finish') end();
        else if (event.type === 'error') {
          const error = fixError(event.error);
          if (error !== event.error) event = { type: 'error', error };
          end(error);
        }
        controller.enqueue(event);
      },
      cancel(reason) {
        ended = true;
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
