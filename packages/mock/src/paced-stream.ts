/**
 * Replays a list of canonical events with the mock's timing and faults: a pause between deltas
 * (tokens_per_second), one stall, and an error event after N deltas. Honours the AbortSignal at once.
 */
import { isDelta, ProviderError, type StreamEvent } from '@tokenpak/provider';
import { abortedError } from '@tokenpak/provider-utils';
import { sleep } from './abortable-sleep.ts';
import type { MockOptions } from './mock-options.ts';

export function mockFailure(provider: string, options: MockOptions, when: string): ProviderError {
  return new ProviderError({
    type: options.errorType ?? 'overloaded',
    provider,
    code: 'mock_fault',
    message: `mock provider ${provider} failed ${when} as configured`,
  });
}

/**
 * How long `pacedStream` takes to replay `deltas` deltas, after latency_ms: a pause before every delta but
 * the first, plus the stall when the stream gets that far. With `fail_after_tokens`, the time until the error.
 */
export function pacedDurationMs(deltas: number, options: MockOptions): number {
  const paced =
    options.failAfterTokens === undefined ? deltas : Math.min(deltas, options.failAfterTokens + 1);
  const interval = options.tokensPerSecond > 0 ? 1000 / options.tokensPerSecond : 0;
  const stall = options.stallMs > 0 && paced > options.stallAfterTokens ? options.stallMs : 0;
  return Math.max(0, paced - 1) * interval + stall;
}

export function pacedStream(
  provider: string,
  events: readonly StreamEvent[],
  options: MockOptions,
  signal: AbortSignal,
): ReadableStream<StreamEvent> {
  const local = new AbortController();
  const onAbort = () => local.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const interval = options.tokensPerSecond > 0 ? 1000 / options.tokensPerSecond : 0;
  const failAfter = options.failAfterTokens;
  let next = 0;
  let deltas = 0;
  let stalled = options.stallMs <= 0;
  let closed = false;

  const end = (controller: ReadableStreamDefaultController<StreamEvent>, last?: StreamEvent) => {
    if (closed) return;
    closed = true;
    signal.removeEventListener('abort', onAbort);
    if (last) controller.enqueue(last);
    controller.close();
  };

  return new ReadableStream<StreamEvent>(
    {
      async pull(controller) {
        if (local.signal.aborted) {
          return end(controller, { type: 'error', error: abortedError(provider, signal.reason) });
        }
        const event = events[next++];
        if (!event) return end(controller);
        try {
          if (isDelta(event)) {
            if (!stalled && deltas >= options.stallAfterTokens) {
              stalled = true;
              await sleep(options.stallMs, local.signal);
            }
            if (interval > 0 && deltas > 0) await sleep(interval, local.signal);
          }
        } catch {
          return end(controller, { type: 'error', error: abortedError(provider, signal.reason) });
        }
        if (closed) return;
        if (failAfter !== undefined && ((isDelta(event) && deltas >= failAfter) || event.type === 'finish')) {
          return end(controller, {
            type: 'error',
            error: mockFailure(provider, options, `after ${deltas} tokens (fail_after_tokens: ${failAfter})`),
          });
        }
        if (isDelta(event)) deltas++;
        controller.enqueue(event);
        if (next >= events.length) end(controller);
      },
      cancel() {
        closed = true;
        signal.removeEventListener('abort', onAbort);
        local.abort();
      },
    },
    { highWaterMark: 0 },
  );
}
