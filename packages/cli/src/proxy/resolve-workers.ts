/** How many worker processes `tokenpak proxy` runs: `--workers`, else `server.workers`; `auto` = the cores. */
import { availableParallelism } from 'node:os';

export type WorkersSetting = number | 'auto';

export function resolveWorkers(setting: WorkersSetting, cores: number = availableParallelism()): number {
  return setting === 'auto' ? Math.max(1, cores) : setting;
}

/** `--workers` as typed: a whole number >= 1 or `auto`; undefined when it is neither. */
export function parseWorkersArg(text: string): WorkersSetting | undefined {
  if (text === 'auto') return 'auto';
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/**
 * Stream slots a worker may hold unused (its lease): none when slots are scarce, so that every stream asks the
 * primary and the limit is exact at once; up to 8 when there is room, which spares most streams the round trip.
 */
export function leaseSize(maxStreams: number, workers: number): number {
  return Math.min(8, Math.floor(maxStreams / (4 * workers)));
}
