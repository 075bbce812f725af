/** `type: anthropic` as a provider package: its (empty, strict) options schema and its factory. */
import type { ProviderPackage } from '@tokenpak/provider';
import { type AnthropicOptions, anthropicOptionsSchema } from './anthropic-options.ts';
import { createAnthropicProvider } from './anthropic-provider.ts';

export const anthropicPackage: ProviderPackage<AnthropicOptions> = {
  specificationVersion: 'v1',
  type: 'anthropic',
  optionsSchema: anthropicOptionsSchema,
  create: createAnthropicProvider,
};
