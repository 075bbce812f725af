// Public exports of @tokenpak/providers. Keep this file an export list only.

export type * from './canonical/dialect-name.ts';
export type { ErrorType, ProviderErrorInit } from './canonical/errors.ts';
export { errorTypeForStatus, ProviderError, toProviderError } from './canonical/errors.ts';
export type * from './canonical/events.ts';
export { isDelta, mergeDeltas } from './canonical/events.ts';
export type * from './canonical/finish-reason.ts';
export type * from './canonical/request.ts';
export type * from './canonical/response.ts';
export type * from './canonical/usage.ts';
export { mergeUsage } from './canonical/usage.ts';
export type * from './dialects/dialect.ts';
export { anthropicMessages } from './dialects/anthropic-messages/index.ts';
export { openaiChat } from './dialects/openai-chat/index.ts';
export type * from './provider.ts';
export type { SseMessage } from './sse/parse-sse.ts';
export { parseSse } from './sse/parse-sse.ts';
