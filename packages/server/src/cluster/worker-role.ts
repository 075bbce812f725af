/**
 * What an app needs to know when it is one of the workers of `tokenpak proxy --workers N` (given to createApp /
 * createGateway as `worker`). Without it (one process) nothing of this applies and ids are minted as always.
 */
import type { MetricFamily } from '../metrics/metric-family.ts';

export interface WorkerRole {
  /** This worker's index, 0 to N-1 (kept by a restarted worker): written into the ids it mints. */
  readonly index: number;
  /** The loopback port of worker `index`'s private listener, or undefined while that worker is not up. */
  peerPort(index: number): number | undefined;
  /** Every worker's metric samples, merged (the primary asks each worker). */
  scrape(): Promise<MetricFamily[]>;
}
