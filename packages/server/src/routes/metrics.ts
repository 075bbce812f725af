/** GET /metrics: Prometheus text. Open without a key, like /health (scrapers rarely carry one); no secrets in it. */
import type { AppContext } from '../app-context.ts';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/prometheus-text.ts';

export function metricsRoute(ctx: AppContext): () => Response {
  return () => new Response(ctx.metrics.render(), { headers: { 'content-type': PROMETHEUS_CONTENT_TYPE } });
}
