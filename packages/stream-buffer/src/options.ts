/**
 * Options of the coalescer. A "token" is one upstream item (one delta event as the provider sent it),
 * not a tokenizer token: `bufferTokens: 5` means "at most 5 upstream deltas per emitted item".
 */
export interface CoalesceOptions<T> {
  /**
   * Flush when this many coalescable items are held. An integer >= 1. Default 5 (the recipe's
   * `buffer_tokens`). 1 is an exact pass-through: no timer, no merging, no per-item work.
   */
  bufferTokens?: number;
  /**
   * Flush held items this many milliseconds after the first of them arrived, whatever arrives meanwhile.
   * Finite and >= 0. Default 500 (the recipe's `flush_interval_ms`). 0 turns the timer off: items are then
   * flushed only by count, before a non-coalescable item, and at the end of the stream.
   */
  flushIntervalMs?: number;
  /**
   * Emit the first coalescable item of the stream at once, so that buffering never delays the time to
   * first token. Default true.
   */
  flushFirst?: boolean;
  /** Whether the item may be held and merged (a text delta); anything else (a block start, usage, finish, error) flushes and passes. */
  isCoalescable(item: T): boolean;
  /**
   * Merges two held items, the earlier first. Returns undefined when they cannot merge (deltas of different
   * blocks): the held item is then flushed and `b` starts a new batch, so order is kept.
   */
  merge(a: T, b: T): T | undefined;
}

/** The timing part of {@link CoalesceOptions}, shared by the helpers that bring their own merge rules. */
export type CoalesceTiming = Pick<
  CoalesceOptions<unknown>,
  'bufferTokens' | 'flushIntervalMs' | 'flushFirst'
>;

/** The recipe's `buffer_tokens: 5`. */
export const DEFAULT_BUFFER_TOKENS = 5;
/** The recipe's `flush_interval_ms: 500`. */
export const DEFAULT_FLUSH_INTERVAL_MS = 500;

export interface ResolvedCoalesceOptions<T> {
  readonly bufferTokens: number;
  readonly flushIntervalMs: number;
  readonly flushFirst: boolean;
  readonly isCoalescable: (item: T) => boolean;
  readonly merge: (a: T, b: T) => T | undefined;
}

/** Applies the defaults and rejects values that cannot work, with a RangeError or TypeError naming the option. */
export function resolveCoalesceOptions<T>(options: CoalesceOptions<T>): ResolvedCoalesceOptions<T> {
  const bufferTokens = options.bufferTokens ?? DEFAULT_BUFFER_TOKENS;
  const flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
  if (!Number.isInteger(bufferTokens) || bufferTokens < 1) {
    throw new RangeError(`bufferTokens must be an integer >= 1, got ${String(bufferTokens)}`);
  }
  if (typeof flushIntervalMs !== 'number' || !Number.isFinite(flushIntervalMs) || flushIntervalMs < 0) {
    throw new RangeError(`flushIntervalMs must be a finite number >= 0, got ${String(flushIntervalMs)}`);
  }
  if (typeof options.isCoalescable !== 'function') throw new TypeError('isCoalescable must be a function');
  if (typeof options.merge !== 'function') throw new TypeError('merge must be a function');
  return {
    bufferTokens,
    flushIntervalMs,
    flushFirst: options.flushFirst ?? true,
    isCoalescable: options.isCoalescable,
    merge: options.merge,
  };
}
