/**
 * The attempt loop: an alias's attempts (the first and `max_retries` retries, with backoff), then each of its
 * `fallbacks` the same way, until one attempt succeeds. What counts as success is the caller's `tryOnce` (for
 * a stream: it passed the first-token gate). Each attempt gets its own AbortSignal, aborted when the attempt
 * fails (cancelling its upstream request) and when the request's own signal aborts (client gone, shutdown).
 */
import { ProviderError, toProviderError } from '@tokenpak/providers';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import type { ResolvedRoute } from './resolve-route.ts';
import { canFallBack, isRetryable, type RetryPolicy, retryDelayMs } from './retry-policy.ts';

export interface AttemptPlan {
  route: ResolvedRoute;
  policy: RetryPolicy;
  /** `first_token_timeout_ms` of the route's provider (its `timeout_ms` when unset). */
  firstTokenTimeoutMs: number;
}

export type AttemptResult<T> = { ok: true; value: T } | { ok: false; error: ProviderError };

export type AttemptsOutcome<T> =
  | { ok: true; value: T; plan: AttemptPlan; attempts: number }
  | { ok: false; error: ProviderError; attempts: number; plan?: AttemptPlan };

export interface RunAttemptsOptions {
  /** Aborted when the request ends (client gone, shutdown): no more attempts, the current one is cancelled. */
  signal: AbortSignal;
  metrics: GatewayMetrics;
  /** For tests: the jitter source. */
  random?: () => number;
}

export async function runAttempts<T>(
  plans: readonly AttemptPlan[],
  tryOnce: (plan: AttemptPlan, signal: AbortSignal) => Promise<AttemptResult<T>>,
  options: RunAttemptsOptions,
): Promise<AttemptsOutcome<T>> {
  const { signal, metrics } = options;
  let attempts = 0;
  let lastError: ProviderError | undefined;
  /** The plan whose attempt gave `lastError`. */
  let lastPlan: AttemptPlan | undefined;
  for (let p = 0; p < plans.length; p++) {
    const plan = plans[p] as AttemptPlan;
    const provider = plan.route.providerName;
    for (let retry = 0; ; retry++) {
      if (signal.aborted) return { ok: false, error: lastError ?? aborted(), attempts };
      attempts++;
      const attempt = new AbortController();
      const cancel = (): void => attempt.abort(signal.reason);
      signal.addEventListener('abort', cancel, { once: true });
      let result: AttemptResult<T>;
      try {
        result = await tryOnce(plan, attempt.signal);
      } catch (error) {
        result = { ok: false, error: toProviderError(error, provider) };
      }
      if (result.ok) {
        metrics.attempts.inc([provider, 'ok']);
        // The attempt stays tied to the request: a client that leaves cancels the upstream.
        return { ok: true, value: result.value, plan, attempts };
      }
      signal.removeEventListener('abort', cancel);
      attempt.abort();
      lastError = result.error;
      lastPlan = plan;
      if (signal.aborted) return { ok: false, error: lastError, attempts, plan };
      const delay =
        isRetryable(lastError) && retry < plan.policy.maxRetries
          ? retryDelayMs(retry + 1, plan.policy, lastError, options.random)
          : undefined;
      if (delay === undefined) {
        const fallsBack = p + 1 < plans.length && canFallBack(lastError);
        metrics.attempts.inc([provider, fallsBack ? 'fell_back' : 'failed']);
        break;
      }
      metrics.attempts.inc([provider, 'retried']);
      await sleep(delay, signal);
    }
    if (!canFallBack(lastError as ProviderError)) break;
  }
  return { ok: false, error: lastError ?? aborted(), attempts, ...(lastPlan && { plan: lastPlan }) };
}

function aborted(): ProviderError {
  return new ProviderError({ type: 'api_error', code: 'aborted', message: 'the request was cancelled' });
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
