import type { CoalesceOptions } from '../src/index.ts';

export interface BenchRow {
  bufferTokens: number;
  identityPerSec: number;
  coalescePerSec: number;
  /** coalesce items/s divided by identity items/s (1 = as fast as the identity transform). */
  ratio: number;
  /** Items that came out of coalesce in the last run. */
  outputs: number;
}

export function runBench(options: {
  coalesce: <T>(options: CoalesceOptions<T>) => TransformStream<T, T>;
  items?: number;
  runs?: number;
  bufferTokens?: number[];
  flushIntervalMs?: number;
  log?: (line: string) => void;
}): Promise<BenchRow[]>;
