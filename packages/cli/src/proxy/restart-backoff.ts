/**
 * Delay before a crashed worker is started again: 100 ms, doubling with each crash in a row up to 10 s, so a
 * worker that cannot start (a crash loop) does not spin a core. A worker that ran for `stableMs` before it
 * exited starts its count again.
 */
export interface RestartBackoffOptions {
  baseMs?: number;
  maxMs?: number;
  stableMs?: number;
}

export interface RestartBackoff {
  /** The delay before worker `index` starts again, given how long it ran. */
  next(index: number, ranMs: number): number;
}

export function createRestartBackoff(options: RestartBackoffOptions = {}): RestartBackoff {
  const { baseMs = 100, maxMs = 10_000, stableMs = 30_000 } = options;
  const streaks = new Map<number, number>();
  return {
    next(index, ranMs) {
      const streak = ranMs >= stableMs ? 0 : (streaks.get(index) ?? 0);
      streaks.set(index, streak + 1);
      return Math.min(maxMs, baseMs * 2 ** streak);
    },
  };
}
