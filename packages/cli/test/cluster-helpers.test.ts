import { describe, expect, test } from 'vitest';
import { leaseSize, parseWorkersArg, resolveWorkers } from '../src/proxy/resolve-workers.ts';
import { createRestartBackoff } from '../src/proxy/restart-backoff.ts';

describe('--workers', () => {
  test('a whole number >= 1 or auto (one per core)', () => {
    expect(parseWorkersArg('3')).toBe(3);
    expect(parseWorkersArg('auto')).toBe('auto');
    for (const bad of ['0', '-1', '1.5', 'many', '']) expect(parseWorkersArg(bad)).toBeUndefined();
    expect(resolveWorkers('auto', 16)).toBe(16);
    expect(resolveWorkers(2, 16)).toBe(2);
  });

  test('a lease only where the stream limit leaves room for it', () => {
    expect(leaseSize(2, 2)).toBe(0);
    expect(leaseSize(40, 2)).toBe(5);
    expect(leaseSize(1000, 2)).toBe(8);
  });
});

describe('restart backoff', () => {
  test('doubles with each crash in a row, up to the cap; a worker that ran long starts over', () => {
    const backoff = createRestartBackoff({ baseMs: 100, maxMs: 1000, stableMs: 30_000 });
    expect([0, 1, 2, 3, 4, 5].map(() => backoff.next(1, 50))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoff.next(0, 50)).toBe(100);
    expect(backoff.next(1, 60_000)).toBe(100);
    expect(backoff.next(1, 50)).toBe(200);
  });
});
