export { BEDROCK_ALIASES, DEFAULT_BEDROCK_MODEL } from './default-bedrock.ts';
export {
  DEFAULT_ANTHROPIC_MODEL,
  DEFAULT_OPENAI_MODEL,
  defaultConfig,
  MOCK_LATENCY_MS,
  MOCK_TOKENS_PER_SECOND,
} from './default-config.ts';
export { didYouMean } from './did-you-mean.ts';
export { formatIssue } from './format-issue.ts';
export type { ConfigIssue, ConfigResult, IssueSeverity } from './issue.ts';
export { configJsonSchema } from './json-schema.ts';
export { ConfigReadError, isConfigReadError, loadConfig } from './load-config.ts';
export { type ParseConfigOptions, parseConfig } from './parse-config.ts';
export {
  type ConfigSource,
  type ResolveConfigSourceOptions,
  resolveConfigSource,
} from './resolve-config-source.ts';
export { BEDROCK_OPTIONS } from './schema/bedrock.ts';
export { configSchema } from './schema/config.ts';
export { PROVIDER_TYPES, type ProviderType } from './schema/provider.ts';
export { STREAM_FORMATS, type StreamFormat } from './schema/streaming.ts';
export { BUFFER_TOKENS_WARN_ABOVE, FLUSH_INTERVAL_WARN_ABOVE_MS } from './semantic-checks.ts';
export type {
  ModelConfig,
  ProviderConfig,
  ServerConfig,
  StreamingConfig,
  TokenPakConfig,
  TokenPakConfigInput,
} from './types.ts';
