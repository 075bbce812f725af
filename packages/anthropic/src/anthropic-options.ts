/**
 * `type: anthropic` takes no options besides the common ones (`api_key`, `base_url`, `headers`,
 * timeouts...): its strict schema turns a misspelt key (`timout_ms`, `max_retry`) into an issue instead of a
 * silently ignored setting.
 */
import type { StandardSchema } from '@tokenpak/provider';
import { strictOptionsSchema } from '@tokenpak/provider-utils';

export type AnthropicOptions = Record<string, never>;

export const anthropicOptionsSchema: StandardSchema<unknown, AnthropicOptions> = strictOptionsSchema({
  vendor: '@tokenpak/anthropic',
  type: 'anthropic',
  options: [],
  check: () => ({}),
});
