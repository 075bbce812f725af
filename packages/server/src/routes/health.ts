/**
 * GET /health: liveness plus each provider's state. Open without a key (liveness probes): it shows provider
 * names, types and states, never keys or URLs.
 */
import type { AppContext } from '../app-context.ts';
import { requestIdFor } from '../http/request-id.ts';

export function healthRoute(ctx: AppContext): (request: Request) => Response {
  return (request) => {
    const providers: Record<
      string,
      { type: string; state: string; last_error?: string; last_error_at?: string }
    > = {};
    let degraded = false;
    for (const name of ctx.registry.names()) {
      const provider = ctx.registry.get(name);
      if (!provider) continue;
      const health = provider.health?.() ?? { state: 'unknown' as const };
      if (health.state === 'degraded') degraded = true;
      providers[name] = {
        type: provider.type,
        state: health.state,
        ...(health.lastError === undefined ? {} : { last_error: ctx.redact(health.lastError) }),
        ...(health.lastErrorAt === undefined ? {} : { last_error_at: health.lastErrorAt }),
      };
    }
    const body = {
      status: ctx.limiter.closed ? 'shutting_down' : degraded ? 'degraded' : 'ok',
      active_streams: ctx.limiter.active,
      max_concurrent_streams: ctx.limiter.max,
      providers,
    };
    return new Response(JSON.stringify(body), {
      status: ctx.limiter.closed ? 503 : 200,
      headers: { 'x-request-id': requestIdFor(request.headers), 'content-type': 'application/json' },
    });
  };
}
