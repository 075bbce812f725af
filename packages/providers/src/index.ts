// Public exports of @tokenpak/providers. Keep this file an export list only.

export {
  ANTHROPIC_BASE_URL,
  ANTHROPIC_CLIENT_HEADERS,
  ANTHROPIC_VERSION,
  anthropicCallHeaders,
  createAnthropicProvider,
  pickAnthropicClientHeaders,
} from './adapters/anthropic.ts';
export type { HttpProviderSpec } from './adapters/http-provider.ts';
export { createHttpProvider } from './adapters/http-provider.ts';
export { createOpenAIProvider, OPENAI_BASE_URL } from './adapters/openai.ts';
export { createOpenAICompatibleProvider } from './adapters/openai-compatible.ts';
export type { Endpoint } from './adapters/resolve-endpoint.ts';
export { resolveEndpoint } from './adapters/resolve-endpoint.ts';
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
export { anthropicMessages } from './dialects/anthropic-messages/index.ts';
export type * from './dialects/dialect.ts';
export { dialects, getDialect } from './dialects/index.ts';
export { openaiChat } from './dialects/openai-chat/index.ts';
export type { ByteReader } from './http/byte-reader.ts';
export { BYTE_READER, openBytes } from './http/byte-reader.ts';
export type {
  UpstreamClient,
  UpstreamClientOptions,
  UpstreamRequest,
  UpstreamResponse,
} from './http/upstream-client.ts';
export { createUpstreamClient } from './http/upstream-client.ts';
export { createMockProvider } from './mock/mock-provider.ts';
export type * from './provider.ts';
export type { ProviderRegistry, ProviderRegistryOptions } from './registry/create-provider-registry.ts';
export { builtinProviderFactories, createProviderRegistry } from './registry/create-provider-registry.ts';
export { ProviderSetupError } from './registry/provider-setup-error.ts';
export type { SseMessage } from './sse/parse-sse.ts';
export { parseSse } from './sse/parse-sse.ts';
export { collectResponse } from './stream/collect-response.ts';
export type { EventBatchSource } from './stream/event-batches.ts';
export { EVENT_BATCHES, openEventBatches, withEventBatches } from './stream/event-batches.ts';
export { guardEvents } from './stream/guard-events.ts';
export { simulateStream } from './stream/simulate-stream.ts';
export { splitWords } from './stream/split-text.ts';
export type { Emit, StreamStage } from './stream/stream-stage.ts';
export { stageToTransformStream } from './stream/stream-stage.ts';
