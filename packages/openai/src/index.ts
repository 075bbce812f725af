// Public exports of @tokenpak/openai. Keep this file an export list only.

export { createAzureOpenAIProvider } from './azure-provider.ts';
export * from './chat/index.ts';
export { chatCompletionsPath } from './chat-completions-url.ts';
export { createOpenAICompatibleProvider } from './openai-compatible-provider.ts';
export { createOpenAIProvider, OPENAI_BASE_URL } from './openai-provider.ts';
export * from './responses/index.ts';
export { responsesPath } from './responses-url.ts';
