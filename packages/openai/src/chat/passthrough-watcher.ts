/**
 * The openai-chat passthrough watcher: what the fast path reads from a Chat Completions stream it forwards
 * untouched. Usage and in-stream errors go through the same mappers as the stream decoder
 * (`usageFromOpenAI`, `errorFromOpenAIObject`), so the log and the metrics agree whichever path served it.
 *
 * A client that did not ask for usage (`stream_options.include_usage`) gets no chunk without choices: the
 * usage-only chunk the proxy always asks upstreams for, Azure's `prompt_filter_results` chunk, a trailing
 * moderation chunk. Client code commonly reads `chunk.choices[0]` of every chunk, and the translated path
 * leaves them out too. Their usage is still read.
 */
import type { PassthroughWatcher, PassthroughWatcherOptions, Usage } from '@tokenpak/provider';
import { mergeUsage, ProviderError } from '@tokenpak/provider';
import { createSseWatcher } from '@tokenpak/provider-utils';
import { errorFromOpenAIObject, notJsonChunkError } from './errors.ts';
import { usageFromOpenAI } from './map-usage.ts';
import type { OpenAIErrorObject } from './wire-types.ts';

/** Whether a chunk's data carries content (an empty `"content":""` does not count). */
function hasContent(data: string): boolean {
  return (
    (data.includes('"content":"') && !data.includes('"content":""')) ||
    data.includes('"tool_calls"') ||
    data.includes('"reasoning_content":"') ||
    data.includes('"reasoning":"') ||
    data.includes('"refusal":"')
  );
}

const NO_CHOICES = ['choices":[]', 'choices": []'];

export function createOpenAIChatPassthroughWatcher(options: PassthroughWatcherOptions): PassthroughWatcher {
  const dropChoiceless = !options.includeUsage;
  let usage: Usage = {};
  return createSseWatcher(
    {
      // As the decoder: text, tool calls, refusals, and reasoning (`reasoning_content`: DeepSeek, vLLM;
      // `reasoning`: Groq, OpenRouter).
      contentMarkers: [
        '"content":"',
        '"tool_calls"',
        '"reasoning_content":"',
        '"reasoning":"',
        '"refusal":"',
      ],
      finishMarkers: ['DONE]', '_reason":"', '_reason": "'],
      usageKeys: ['usage'],
      modelKeys: ['model'],
      ...(dropChoiceless && { dropMarkers: NO_CHOICES }),
      readEvent(name, data) {
        const content = hasContent(data);
        const drop = dropChoiceless && (data.includes('"choices":[]') || data.includes('"choices": []'));
        const mayError = name === 'error' || data.includes('"error"');
        if (!mayError && !data.includes('"usage"')) return content || drop ? { content, drop } : undefined;
        let value: any;
        try {
          value = JSON.parse(data);
        } catch {
          if (name !== 'error') return content || drop ? { content, drop } : undefined;
          return {
            error: errorFromOpenAIObject(data || 'upstream sent an error event', options.provider, undefined),
          };
        }
        if (value !== null && typeof value === 'object') {
          if (value.error !== undefined && value.error !== null) {
            return { error: errorFromOpenAIObject(value.error, options.provider, undefined) };
          }
          if (name === 'error') {
            return { error: errorFromOpenAIObject(value as OpenAIErrorObject, options.provider, undefined) };
          }
          if (value.usage !== null && typeof value.usage === 'object') {
            usage = mergeUsage(usage, usageFromOpenAI(value.usage));
          }
        }
        return { content, drop };
      },
      usage: () => usage,
      notJsonError: notJsonChunkError,
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
