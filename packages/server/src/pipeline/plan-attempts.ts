/**
 * The aliases a request may be served by, in order: the one asked for, then its `fallbacks` (each with its
 * own provider's retry policy). A fallback that cannot serve this request is left out: one whose provider
 * speaks another dialect when the request can only be served in the client's own (see `untranslatable`,
 * `requiresSameDialect`), or one that no longer resolves.
 */
import type { CanonicalRequest, Dialect } from '@tokenpak/providers';
import type { AppContext } from '../app-context.ts';
import { type ResolvedRoute, resolveRoute } from './resolve-route.ts';
import type { AttemptPlan } from './run-attempts.ts';

export function planAttempts(
  ctx: AppContext,
  route: ResolvedRoute,
  dialect: Dialect,
  canonical: CanonicalRequest,
): AttemptPlan[] {
  const plans = [planFor(ctx, route)];
  const sameDialectOnly =
    canonical.untranslatable !== undefined || canonical.requiresSameDialect !== undefined;
  for (const alias of ctx.config.models[route.alias]?.fallbacks ?? []) {
    let fallback: ResolvedRoute;
    try {
      fallback = resolveRoute(ctx, alias);
    } catch {
      continue;
    }
    if (sameDialectOnly && fallback.provider.dialect !== dialect.name) continue;
    plans.push(planFor(ctx, fallback));
  }
  return plans;
}

function planFor(ctx: AppContext, route: ResolvedRoute): AttemptPlan {
  const entry = ctx.config.providers[route.providerName];
  return {
    route,
    policy: {
      maxRetries: entry?.max_retries ?? 2,
      baseMs: entry?.retry_base_ms ?? 250,
      maxMs: entry?.retry_max_ms ?? 8000,
    },
    firstTokenTimeoutMs: entry?.first_token_timeout_ms ?? entry?.timeout_ms ?? 60_000,
  };
}
