/**
 * The openai-responses passthrough watcher: what the fast path reads from a Responses stream it forwards
 * untouched. Usage and in-stream errors go through the same mappers as the stream decoder
 * (`usageFromResponses`, `errorFromResponsesObject`), so the log and the metrics agree whichever path served it.
 *
 * - Content: the first text, refusal, reasoning or function-call-arguments delta, or a function_call item.
 * - Finished: `response.completed`, `response.incomplete` or `response.failed`, searched as the JSON
 *   `"type":"…"` (a quote inside text is escaped, so text that mentions these names never matches).
 * - Usage: the terminal event's `response.usage` (the earlier events carry `"usage":null`, which is skipped).
 * - Errors: an `error` event, or `response.failed`'s `response.error`. Nothing is left out of the bytes.
 */
import type { PassthroughWatcher, PassthroughWatcherOptions, Usage } from '@tokenpak/provider';
import { mergeUsage, ProviderError } from '@tokenpak/provider';
import { createSseWatcher } from '@tokenpak/provider-utils';
import { errorFromResponsesObject, notJsonEventError } from './errors.ts';
import { usageFromResponses } from './map-usage.ts';
import type { ResponsesStreamEvent } from './wire-types.ts';

const CONTENT_MARKERS = [
  'output_text.delta',
  'refusal.delta',
  'summary_text.delta',
  'reasoning_text.delta',
  'arguments.delta',
  '"function_call"',
];

const TERMINALS = ['response.completed', 'response.incomplete', 'response.failed'];
const FINISH_MARKERS = TERMINALS.flatMap((type) => [`"type":"${type}"`, `"type": "${type}"`]);

export function createOpenAIResponsesPassthroughWatcher(
  options: PassthroughWatcherOptions,
): PassthroughWatcher {
  let usage: Usage = {};
  return createSseWatcher(
    {
      contentMarkers: CONTENT_MARKERS,
      finishMarkers: FINISH_MARKERS,
      usageKeys: ['usage'],
      modelKeys: ['model'],
      readEvent(name, data) {
        const content = CONTENT_MARKERS.some((marker) => data.includes(marker));
        const mayError =
          name === 'error' || data.includes('response.failed') || data.includes('"type":"error"');
        if (!mayError && !data.includes('"usage"')) return content ? { content } : undefined;
        let event: ResponsesStreamEvent;
        try {
          event = JSON.parse(data);
        } catch {
          if (name !== 'error') return content ? { content } : undefined;
          return {
            error: errorFromResponsesObject(
              { message: data || 'upstream sent an error event' },
              options.provider,
            ),
          };
        }
        if (event === null || typeof event !== 'object') return undefined;
        const type = event.type ?? name;
        if (type === 'error') {
          const nested = event.error && typeof event.error === 'object' ? event.error : undefined;
          return {
            error: errorFromResponsesObject(
              nested ?? { code: event.code, message: event.message, param: event.param },
              options.provider,
            ),
          };
        }
        const response = event.response;
        if (type === 'response.failed') {
          const error = response?.error;
          return {
            error: errorFromResponsesObject(
              error && typeof error === 'object' ? error : { message: 'the upstream response failed' },
              options.provider,
            ),
          };
        }
        if (response?.usage && typeof response.usage === 'object') {
          usage = mergeUsage(usage, usageFromResponses(response.usage));
        }
        return content ? { content } : undefined;
      },
      usage: () => usage,
      notJsonError: notJsonEventError,
      unfinishedError: () =>
        new ProviderError({
          type: 'network',
          message: 'upstream closed the stream before it finished',
          provider: options.provider,
        }),
    },
    options,
  );
}
