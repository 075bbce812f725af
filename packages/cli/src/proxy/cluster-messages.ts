/**
 * The IPC between the primary and the workers of `tokenpak proxy --workers N`, beside the stream slots'
 * (SlotRequest / SlotReply from @tokenpak/server). Every message carries `tokenpak`.
 */
import type { TokenPakConfig } from '@tokenpak/config';
import type { MetricFamily } from '@tokenpak/server';

/** Primary → worker, once: what to serve. The config is the one the primary validated and reported. */
export interface StartMessage {
  tokenpak: 'start';
  index: number;
  config: TokenPakConfig;
  baseDir: string;
  host: string;
  port: number;
  /** Stream slots this worker may keep unused (see leaseSize). */
  lease: number;
}

export type PrimaryMessage =
  | StartMessage
  /** Loopback ports of every worker's private listener, by index (null: that worker is not up). */
  | { tokenpak: 'peers'; ports: Array<number | null> }
  /** Send your metric samples (for a scrape another worker answers). */
  | { tokenpak: 'metrics.collect'; round: number }
  /** Every worker's samples, merged: the answer to your scrape `id`. */
  | { tokenpak: 'metrics.scraped'; id: number; families: MetricFamily[] }
  /** Stop accepting, let streams finish within `graceMs` (default server.shutdown_grace_ms), exit. */
  | { tokenpak: 'shutdown'; graceMs?: number };

export type WorkerMessage =
  /**
   * The worker listens for messages now: the primary sends `start` then. (A message that reaches a process before
   * it has a 'message' listener is lost, and an ES module worker attaches its listener only once loaded.)
   */
  | { tokenpak: 'ready' }
  | { tokenpak: 'listening'; url: string; privatePort: number }
  | { tokenpak: 'failed'; message: string; portInUse: boolean }
  | { tokenpak: 'metrics.scrape'; id: number }
  | { tokenpak: 'metrics.samples'; round: number; families: MetricFamily[] };

export function tokenpakMessage(message: unknown): string | undefined {
  const kind = (message as { tokenpak?: unknown } | null)?.tokenpak;
  return typeof kind === 'string' ? kind : undefined;
}
