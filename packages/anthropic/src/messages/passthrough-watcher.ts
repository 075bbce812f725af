/**
 * The anthropic-messages passthrough watcher: what the fast path reads from an Anthropic stream it forwards
 * untouched. Usage and in-stream errors go through the same mappers as the stream decoder (`absorbUsage`,
 * `errorFromAnthropic`), so the log and the metrics agree whichever path served the request, cached prompt
 * tokens included.
 */
import type { PassthroughWatcher, PassthroughWatcherOptions } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { createSseWatcher } from '@tokenpak/provider-utils';
import { errorFromAnthropic, notJsonEventError } from './errors.ts';
import { absorbUsage, type RawAnthropicUsage, usageFromRaw } from './map-usage.ts';

export function createAnthropicPassthroughWatcher(options: PassthroughWatcherOptions): PassthroughWatcher {
  const usage: RawAnthropicUsage = {};
  return createSseWatcher(
    {
      contentMarkers: ['"content_block_delta"'],
      finishMarkers: ['message_stop'],
      usageKeys: ['usage'],
      modelKeys: ['model'],
      readEvent(name, data) {
        const content = data.includes('"content_block_delta"');
        const mayError = name === 'error' || data.includes('"error"');
        if (!mayError && !data.includes('"usage"')) return content ? { content } : undefined;
        let event: any;
        try {
          event = JSON.parse(data);
        } catch {
          return name === 'error'
            ? { error: errorFromAnthropic(undefined, undefined, options.provider) }
            : content
              ? { content }
              : undefined;
        }
        if (event?.type === 'error' || name === 'error') {
          return { error: errorFromAnthropic(event?.error, undefined, options.provider) };
        }
        if (event?.type === 'message_start') absorbUsage(usage, event.message?.usage);
        else if (event?.type === 'message_delta') absorbUsage(usage, event.usage);
        return content ? { content } : undefined;
      },
      usage: () => usageFromRaw(usage),
      notJsonError: (_event, data) => notJsonEventError(data),
      unfinishedError: () =>
        new ProviderError({
          type: 'network',
          message: 'upstream stream ended before message_stop',
          provider: options.provider,
        }),
    },
    options,
  );
}
