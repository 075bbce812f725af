/**
 * Parses a `Retry-After` header (delta-seconds or an HTTP date) into whole seconds, or undefined.
 * `retry-after-ms` (sent by OpenAI) is preferred when present.
 */
export function parseRetryAfter(
  retryAfter: string | undefined,
  retryAfterMs?: string | undefined,
  now: number = Date.now(),
): number | undefined {
  if (retryAfterMs !== undefined) {
    const ms = Number(retryAfterMs);
    if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms / 1000);
  }
  if (retryAfter === undefined) return undefined;
  const trimmed = retryAfter.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
