// Public exports of @tokenpak/client. Keep this file an export list only.

export { backoffDelay, retryAfterMs } from './backoff.ts';
export type { TokenpakStreamErrorCode, TokenpakStreamErrorDetails } from './errors.ts';
export { TokenpakStreamError } from './errors.ts';
export type { EventEnd, StreamEvent } from './events.ts';
export { classifyEvent, textDelta } from './events.ts';
export { NdjsonParser } from './ndjson-parser.ts';
export { SseParser } from './sse-parser.ts';
export type {
  RetryInfo,
  StreamRequest,
  StreamSource,
  TokenpakStream,
  TokenpakStreamOptions,
} from './stream.ts';
export {
  DEFAULT_BACKOFF_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_BACKOFF_MS,
  DEFAULT_MAX_RETRIES,
  STREAM_ID_HEADER,
  tokenpakStream,
} from './stream.ts';
