/** The config types the server reads, from @tokenpak/config (frozen, fully defaulted, snake_case). */
export type {
  ModelConfig,
  ServerConfig,
  StreamFormat,
  StreamingConfig,
  TokenPakConfig,
} from '@tokenpak/config';
