// Public exports of @tokenpak/openai. Keep this file an export list only.

export {
  AZURE_OPTIONS,
  type AzureEntryOptions,
  azureOptionsSchema,
} from './azure-options.ts';
export { createAzureOpenAIProvider } from './azure-provider.ts';
export * from './chat/index.ts';
export { chatCompletionsPath } from './chat-completions-url.ts';
export { createOpenAICompatibleProvider } from './openai-compatible-provider.ts';
export {
  OPENAI_APIS,
  type OpenAIApi,
  type OpenAICompatibleOptions,
  type OpenAIOptions,
  openaiCompatibleOptionsSchema,
  openaiOptionsSchema,
} from './openai-options.ts';
export { createOpenAIProvider, OPENAI_BASE_URL } from './openai-provider.ts';
export { azurePackage, openaiCompatiblePackage, openaiPackage } from './provider-packages.ts';
export * from './responses/index.ts';
export { responsesPath } from './responses-url.ts';
