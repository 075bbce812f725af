/**
 * When a failed upstream attempt is worth another try, and how long to wait first: exponential backoff with
 * full jitter (a random delay between 0 and `retry_base_ms · 2^(retry-1)`, capped at `retry_max_ms`), or the
 * upstream's `Retry-After` when it gave one. A `Retry-After` longer than the cap is not waited for: the
 * next alias (a fallback) is tried instead.
 */
import type { ProviderError } from '@tokenpak/providers';

export interface RetryPolicy {
  /** Retries after the first attempt (`max_retries`). */
  maxRetries: number;
  /** `retry_base_ms` */
  baseMs: number;
  /** `retry_max_ms` */
  maxMs: number;
}

/** Errors a retry can fix: connection errors, timeouts, 429, 5xx, 529 and the same arriving in-band. */
export function isRetryable(error: ProviderError): boolean {
  if (error.code === 'aborted' || error.code === 'insufficient_quota') return false;
  return error.retryable;
}

/**
 * Errors another alias may not have: everything retryable, and the provider's own refusals (key, quota,
 * unknown upstream model). Never the client's own mistakes (a malformed request would fail anywhere).
 */
export function canFallBack(error: ProviderError): boolean {
  if (error.code === 'aborted') return false;
  if (error.retryable || error.code === 'insufficient_quota') return true;
  return error.type === 'authentication' || error.type === 'permission' || error.type === 'not_found';
}

/**
 * The delay before retry number `retry` (1 for the first retry), or undefined when the upstream asked for
 * a longer wait than the policy allows.
 */
export function retryDelayMs(
  retry: number,
  policy: RetryPolicy,
  error: ProviderError,
  random: () => number = Math.random,
): number | undefined {
  if (error.retryAfter !== undefined) {
    const asked = error.retryAfter * 1000;
    return asked > policy.maxMs ? undefined : asked;
  }
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}
