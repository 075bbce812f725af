import { expect, test } from 'vitest';
import { runBench } from '../bench/coalesce-bench.mjs';
import { coalesce } from '../src/index.ts';

test('the benchmark runs in a tiny configuration and measures what it claims', async () => {
  const lines: string[] = [];
  const rows = await runBench({ coalesce, items: 1000, runs: 1, log: (line) => lines.push(line) });
  expect(rows.map((row) => row.bufferTokens)).toEqual([1, 5, 50]);
  // 1000 events, every 100th structural: 990 deltas and 10 structural events.
  // At 1 all pass; at 5 each run of 99 deltas gives 1 (flushFirst) + 20 batches.
  expect(rows.map((row) => row.outputs)).toEqual([1000, 10 + 1 + 20 * 10, 10 + 1 + 2 * 10]);
  for (const row of rows) {
    expect(row.identityPerSec).toBeGreaterThan(0);
    expect(row.ratio).toBeCloseTo(row.coalescePerSec / row.identityPerSec);
  }
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^bufferTokens {2}1: identity .* items\/s, coalesce .* items\/s, ratio \d/);
});
