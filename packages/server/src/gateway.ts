/**
 * The one composition both entry points (the CLI's `proxy` and apps/proxy) call:
 * loaded config → provider registry → app, with the limiter and metrics the caller may need.
 */
import { createProviderRegistry } from '@tokenpak/providers';
import type { H3 } from 'h3';
import { createApp } from './app.ts';
import type { WorkerRole } from './cluster/worker-role.ts';
import type { TokenPakConfig } from './config-types.ts';
import { type ConcurrencyLimiter, createConcurrencyLimiter } from './limits/concurrency-limiter.ts';
import type { RequestLogger } from './log/request-log.ts';
import { createGatewayMetrics, type GatewayMetrics } from './metrics/gateway-metrics.ts';
import type { ProviderLookup } from './registry-types.ts';

export interface GatewayOptions {
  /** Where relative paths in provider entries (third-party provider packages) resolve from. */
  baseDir?: string;
  /** Per-request log lines. Default: JSON on stderr. */
  logger?: RequestLogger;
  /**
   * Stream slots. Default: this process's own `streaming.max_concurrent_streams`. A cluster worker passes one
   * shared with the other workers (createSharedLimiter).
   */
  limiter?: ConcurrencyLimiter;
  /** Set on a worker of `tokenpak proxy --workers N` (see createApp). */
  worker?: WorkerRole;
}

export interface Gateway {
  readonly app: H3;
  readonly config: TokenPakConfig;
  readonly registry: ProviderLookup;
  readonly metrics: GatewayMetrics;
  readonly limiter: ConcurrencyLimiter;
  /**
   * Stops new streams, waits up to `graceMs` (default `server.shutdown_grace_ms`) for open ones to finish,
   * then ends the rest cleanly (the dialect's error event, then close). Does not close the registry.
   */
  drain(graceMs?: number): Promise<void>;
  /** drain(), then closes the provider registry (connection pools). Idempotent. */
  close(graceMs?: number): Promise<void>;
}

export async function createGateway(config: TokenPakConfig, options: GatewayOptions = {}): Promise<Gateway> {
  const registry = await createProviderRegistry(config.providers, { baseDir: options.baseDir });
  const limiter = options.limiter ?? createConcurrencyLimiter(config.streaming.max_concurrent_streams);
  const metrics = createGatewayMetrics();
  const app = createApp({
    config,
    registry,
    limiter,
    metrics,
    logger: options.logger,
    worker: options.worker,
  });
  let closing: Promise<void> | undefined;

  const drain = async (graceMs = config.server.shutdown_grace_ms): Promise<void> => {
    limiter.close();
    if (limiter.active > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const graceOver = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, graceMs));
      });
      await Promise.race([limiter.whenIdle(), graceOver]);
      clearTimeout(timer);
    }
    if (limiter.active > 0) {
      limiter.terminateAll(`grace period of ${graceMs} ms is over`);
      await limiter.whenIdle();
    }
  };

  return {
    app,
    config,
    registry,
    metrics,
    limiter,
    drain,
    close(graceMs) {
      closing ??= drain(graceMs).then(() => registry.close());
      return closing;
    },
  };
}
