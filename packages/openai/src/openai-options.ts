/**
 * The options of `type: openai` and `type: openai-compatible` besides the common ones (`api_key`,
 * `base_url`, `headers`, timeouts...), as strict Standard Schemas: checked by the registry before the
 * provider is created, and by `tokenpak validate-config` at their line and column.
 */
import type { StandardSchema } from '@tokenpak/provider';
import { strictOptionsSchema } from '@tokenpak/provider-utils';

export const OPENAI_APIS = ['chat', 'responses'] as const;
export type OpenAIApi = (typeof OPENAI_APIS)[number];

export interface OpenAIOptions {
  /** Which OpenAI API the provider calls: `chat` (Chat Completions, the default) or `responses`. */
  api: OpenAIApi;
}

export interface OpenAICompatibleOptions {
  /** Ask for usage in streams (`stream_options.include_usage`); false for servers that reject it. Default true. */
  include_usage: boolean;
}

export const openaiOptionsSchema: StandardSchema<unknown, OpenAIOptions> = strictOptionsSchema({
  vendor: '@tokenpak/openai',
  type: 'openai',
  options: ['api'],
  check(input, issues) {
    const api = input.api ?? 'chat';
    if (!OPENAI_APIS.includes(api as OpenAIApi)) {
      issues.push({ path: ['api'], message: `must be 'chat' or 'responses' (got ${JSON.stringify(api)})` });
    }
    return { api: api as OpenAIApi };
  },
});

export const openaiCompatibleOptionsSchema: StandardSchema<unknown, OpenAICompatibleOptions> =
  strictOptionsSchema({
    vendor: '@tokenpak/openai',
    type: 'openai-compatible',
    options: ['include_usage'],
    check(input, issues) {
      const includeUsage = input.include_usage ?? true;
      if (typeof includeUsage !== 'boolean') {
        issues.push({
          path: ['include_usage'],
          message: `must be true or false (got ${JSON.stringify(includeUsage)})`,
        });
      }
      return { include_usage: includeUsage as boolean };
    },
  });
