/**
 * The keys every `providers.<name>` entry may have, whatever its type (validated by @tokenpak/config). A
 * provider package's `optionsSchema` sees the entry without them: they are not its options.
 */
export const COMMON_PROVIDER_KEYS: readonly string[] = Object.freeze([
  'type',
  'package',
  'api_key',
  'base_url',
  'supports_streaming',
  'timeout_ms',
  'connect_timeout_ms',
  'idle_timeout_ms',
  'first_token_timeout_ms',
  'max_retries',
  'retry_base_ms',
  'retry_max_ms',
  'headers',
]);
