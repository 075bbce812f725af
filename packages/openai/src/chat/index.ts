// The openai-chat dialect. Keep this file an export list only.

export type { OpenAIFinishReason } from './map-finish-reason.ts';
export { mapOpenAIFinishReason, toOpenAIFinishReason } from './map-finish-reason.ts';
export { usageFromOpenAI, usageToOpenAI } from './map-usage.ts';
export { openaiChat } from './openai-chat-dialect.ts';
