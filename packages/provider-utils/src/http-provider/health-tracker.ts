/**
 * Provider health from recent call outcomes: 'unknown' before any call, 'degraded' when the latest call failed
 * or at least half of the last 10 did, else 'ok'. Client-caused errors (bad request, cancelled) do not count.
 */
import type { ProviderError, ProviderHealth } from '@tokenpak/provider';

const WINDOW = 10;
const NOT_COUNTED = new Set(['invalid_request', 'not_found', 'request_too_large', 'not_acceptable']);

export interface HealthTracker {
  /** Records one call: undefined for success. */
  record(error?: ProviderError): void;
  snapshot(): ProviderHealth;
}

export function createHealthTracker(): HealthTracker {
  const outcomes: boolean[] = [];
  let lastError: string | undefined;
  let lastErrorAt: string | undefined;
  return {
    record(error) {
      if (error && (NOT_COUNTED.has(error.type) || error.code === 'aborted')) return;
      outcomes.push(error === undefined);
      if (outcomes.length > WINDOW) outcomes.shift();
      if (error) {
        lastError = error.message;
        lastErrorAt = new Date().toISOString();
      }
    },
    snapshot() {
      if (outcomes.length === 0) return { state: 'unknown' };
      const failures = outcomes.filter((ok) => !ok).length;
      const degraded = outcomes[outcomes.length - 1] === false || failures * 2 >= outcomes.length;
      return {
        state: degraded ? 'degraded' : 'ok',
        ...(lastError !== undefined && { lastError, lastErrorAt }),
      };
    },
  };
}
