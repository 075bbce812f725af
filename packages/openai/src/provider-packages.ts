/**
 * The three provider types of @tokenpak/openai as provider packages `{ type, optionsSchema, create }`: the
 * registry checks (and defaults) an entry's options with the schema before `create`, and
 * `tokenpak validate-config` reports each issue at its line and column.
 */
import type { ProviderPackage } from '@tokenpak/provider';
import { type AzureEntryOptions, azureOptionsSchema } from './azure-options.ts';
import { createAzureOpenAIProvider } from './azure-provider.ts';
import { createOpenAICompatibleProvider } from './openai-compatible-provider.ts';
import {
  type OpenAICompatibleOptions,
  type OpenAIOptions,
  openaiCompatibleOptionsSchema,
  openaiOptionsSchema,
} from './openai-options.ts';
import { createOpenAIProvider } from './openai-provider.ts';

export const openaiPackage: ProviderPackage<OpenAIOptions> = {
  specificationVersion: 'v1',
  type: 'openai',
  optionsSchema: openaiOptionsSchema,
  create: createOpenAIProvider,
};

export const openaiCompatiblePackage: ProviderPackage<OpenAICompatibleOptions> = {
  specificationVersion: 'v1',
  type: 'openai-compatible',
  optionsSchema: openaiCompatibleOptionsSchema,
  create: createOpenAICompatibleProvider,
};

export const azurePackage: ProviderPackage<AzureEntryOptions> = {
  specificationVersion: 'v1',
  type: 'azure',
  optionsSchema: azureOptionsSchema,
  create: createAzureOpenAIProvider,
};
