// Public exports of @tokenpak/stream-buffer. Keep this file an export list only.

export { coalesce } from './coalesce.ts';
export { coalesceIterable } from './coalesce-iterable.ts';
export { coalesceStrings, stringCoalesceOptions } from './coalesce-strings.ts';
export type { CoalesceOptions, CoalesceTiming } from './options.ts';
export { DEFAULT_BUFFER_TOKENS, DEFAULT_FLUSH_INTERVAL_MS } from './options.ts';
