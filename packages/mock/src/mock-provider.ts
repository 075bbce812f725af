/** The `mock` provider: deterministic answers with no network, timing knobs and fault injection. */

import type {
  CallContext,
  CanonicalRequest,
  CanonicalResponse,
  Provider,
  ProviderInit,
} from '@tokenpak/provider';
import { isDelta, type StreamEvent } from '@tokenpak/provider';
import { abortedError, responseEvents, simulateStream } from '@tokenpak/provider-utils';
import { sleep } from './abortable-sleep.ts';
import { mockAnswer } from './mock-answer.ts';
import { parseMockOptions } from './mock-options.ts';
import { mockFailure, pacedDurationMs, pacedStream } from './paced-stream.ts';

export function createMockProvider(init: ProviderInit): Provider {
  const { name, config } = init;
  const options = parseMockOptions(name, config);
  const supportsStreaming = config.supports_streaming !== false;

  /** Waits latency_ms and fails before the first byte when error_type is set alone. */
  async function begin(context: CallContext): Promise<void> {
    try {
      await sleep(options.latencyMs, context.signal);
    } catch {
      throw abortedError(name, context.signal.reason);
    }
    if (options.errorType !== undefined && options.failAfterTokens === undefined) {
      throw mockFailure(name, options, 'before the first byte');
    }
    context.onUpstreamResponse?.();
  }

  /** Takes as long as the stream of the same answer would (pace, stall, fault), so timings compare. */
  async function complete(request: CanonicalRequest, context: CallContext): Promise<CanonicalResponse> {
    await begin(context);
    const response = mockAnswer(request, context.model, options);
    const deltas = responseEvents(response).filter(isDelta).length;
    try {
      await sleep(pacedDurationMs(deltas, options), context.signal);
    } catch {
      throw abortedError(name, context.signal.reason);
    }
    if (options.failAfterTokens !== undefined) {
      throw mockFailure(name, options, `(fail_after_tokens: ${options.failAfterTokens})`);
    }
    return response;
  }

  return {
    name,
    type: 'mock',
    dialect: null,
    supportsStreaming,

    async stream(request: CanonicalRequest, context: CallContext): Promise<ReadableStream<StreamEvent>> {
      if (!supportsStreaming) return simulateStream(await complete(request, context));
      await begin(context);
      const events = responseEvents(mockAnswer(request, context.model, options));
      return pacedStream(name, events, options, context.signal);
    },

    complete,

    health: () => ({ state: 'ok' }),

    async close() {},
  };
}
