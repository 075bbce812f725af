// Throughput of coalesce() against an identity TransformStream, in the same process and run.
// `pnpm bench` builds the package and runs this file against ../dist/index.js.
// Items look like canonical stream events: text deltas, with a structural event every 100 items.

import { pathToFileURL } from 'node:url';

const STRUCTURAL_EVERY = 100;
const delta = { type: 'text-delta', index: 0, text: 'tok' };
const structural = { type: 'content-block-stop', index: 0 };

const eventOptions = {
  isCoalescable: (event) => event.type === 'text-delta',
  merge: (a, b) =>
    a.index === b.index ? { type: a.type, index: a.index, text: a.text + b.text } : undefined,
};

/** A source that yields `items` events as fast as the pipe takes them. */
function source(items) {
  let sent = 0;
  return new ReadableStream(
    {
      pull(controller) {
        while (controller.desiredSize > 0 && sent < items) {
          sent++;
          controller.enqueue(sent % STRUCTURAL_EVERY === 0 ? structural : delta);
        }
        if (sent >= items) controller.close();
      },
    },
    { highWaterMark: 64 },
  );
}

/** Pushes `items` events through the transform; returns the time taken and what came out. */
async function pump(items, transform) {
  const start = performance.now();
  const reader = source(items).pipeThrough(transform).getReader();
  let outputs = 0;
  let chars = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    outputs++;
    if (value.type === 'text-delta') chars += value.text.length;
  }
  return { ms: performance.now() - start, outputs, chars };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Runs the benchmark and returns one row per bufferTokens value.
 * @param {object} options
 * @param {(options: object) => TransformStream} options.coalesce the implementation under test
 * @param {number} [options.items] events per run
 * @param {number} [options.runs] measured runs of each side, alternating identity and coalesce
 * @param {number[]} [options.bufferTokens]
 * @param {number} [options.flushIntervalMs]
 * @param {(line: string) => void} [options.log]
 */
export async function runBench({
  coalesce,
  items = 2_000_000,
  runs = 5,
  bufferTokens = [1, 5, 50],
  flushIntervalMs = 500,
  log = () => {},
}) {
  const expectedChars = (items - Math.floor(items / STRUCTURAL_EVERY)) * delta.text.length;
  const make = (n) => coalesce({ ...eventOptions, bufferTokens: n, flushIntervalMs });
  const rows = [];
  for (const n of bufferTokens) {
    // Warm up both paths so that the JIT has seen them before anything is timed.
    const warm = Math.max(1, Math.floor(items / 4));
    await pump(warm, new TransformStream());
    await pump(warm, make(n));
    const identityMs = [];
    const coalesceMs = [];
    let outputs = 0;
    for (let run = 0; run < runs; run++) {
      // Alternate which side goes first, and start each from a collected heap (with --expose-gc), so
      // that neither pays for the other's garbage.
      let identity;
      let coalesced;
      if (run % 2 === 0) {
        globalThis.gc?.();
        identity = await pump(items, new TransformStream());
        globalThis.gc?.();
        coalesced = await pump(items, make(n));
      } else {
        globalThis.gc?.();
        coalesced = await pump(items, make(n));
        globalThis.gc?.();
        identity = await pump(items, new TransformStream());
      }
      if (identity.chars !== expectedChars || coalesced.chars !== expectedChars) {
        throw new Error(
          `text lost: expected ${expectedChars} chars, got ${identity.chars} / ${coalesced.chars}`,
        );
      }
      identityMs.push(identity.ms);
      coalesceMs.push(coalesced.ms);
      outputs = coalesced.outputs;
    }
    const identityPerSec = items / (median(identityMs) / 1000);
    const coalescePerSec = items / (median(coalesceMs) / 1000);
    const row = {
      bufferTokens: n,
      identityPerSec,
      coalescePerSec,
      ratio: coalescePerSec / identityPerSec,
      outputs,
    };
    rows.push(row);
    log(
      `bufferTokens ${String(n).padStart(2)}: identity ${fmt(identityPerSec)} items/s, ` +
        `coalesce ${fmt(coalescePerSec)} items/s, ratio ${row.ratio.toFixed(3)} ` +
        `(${outputs} items out, median of ${runs})`,
    );
  }
  return rows;
}

const fmt = (perSec) => `${(perSec / 1e6).toFixed(2)}M`.padStart(7);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { coalesce } = await import('../dist/index.js');
  const items = Number(process.argv[2] ?? 2_000_000); // `pnpm bench 500000` for a shorter run
  console.log(`coalesce vs identity TransformStream, ${items} items per run, Node ${process.version}`);
  await runBench({ coalesce, items, log: console.log });
}
