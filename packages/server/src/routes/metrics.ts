/**
 * GET /metrics: Prometheus text. Open without a key, like /health (scrapers rarely carry one); no secrets in it.
 * On a cluster worker, the samples of every worker merged (asked of the primary); its own alone if that fails.
 */
import type { AppContext } from '../app-context.ts';
import type { WorkerRole } from '../cluster/worker-role.ts';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/prometheus-text.ts';
import { renderFamilies } from '../metrics/render-families.ts';

const headers = { 'content-type': PROMETHEUS_CONTENT_TYPE };

export function metricsRoute(ctx: AppContext, worker?: WorkerRole): () => Response | Promise<Response> {
  if (!worker) return () => new Response(ctx.metrics.render(), { headers });
  return () =>
    worker.scrape().then(
      (families) => new Response(renderFamilies(families), { headers }),
      () => new Response(ctx.metrics.render(), { headers }),
    );
}
