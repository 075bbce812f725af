/** Reconnect delays: exponential backoff with full jitter, and `Retry-After`. */

/**
 * The delay before reconnect attempt `attempt` (1 for the first): a uniformly random value in
 * `[0, min(maxBackoffMs, backoffMs * 2^(attempt-1)))` ("full jitter").
 */
export function backoffDelay(
  attempt: number,
  backoffMs: number,
  maxBackoffMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxBackoffMs, backoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** A `Retry-After` header (seconds or an HTTP date) in ms, or undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
