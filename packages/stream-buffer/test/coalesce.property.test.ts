import fc from 'fast-check';
import { afterEach, expect, test, vi } from 'vitest';
import { coalesce, coalesceIterable, stringCoalesceOptions } from '../src/index.ts';
import {
  collect,
  type Item,
  idsOf,
  itemOptions,
  mark,
  pushSource,
  type Received,
  settle,
  text,
} from './helpers.ts';

afterEach(() => {
  vi.useRealTimers();
});

interface Timing {
  bufferTokens: number;
  flushIntervalMs: number;
  flushFirst: boolean;
}

interface Step {
  /** Fake milliseconds to wait before this item arrives. */
  delay: number;
  item: { kind: 'text'; block: number } | { kind: 'mark' };
}

const timingArb = fc.record({
  bufferTokens: fc.integer({ min: 1, max: 8 }),
  flushIntervalMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 })),
  flushFirst: fc.boolean(),
});
const stepArb = fc.record({
  delay: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 150 })),
  item: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('text' as const), block: fc.integer({ min: 0, max: 2 }) }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('mark' as const) }) },
  ),
});
const endArb = fc.record({ delay: fc.integer({ min: 0, max: 150 }), error: fc.boolean() });

const toItem = (step: Step, id: number): Item =>
  step.item.kind === 'text' ? text(id, step.item.block) : mark(id);

/** What a reader that always reads at once must see, worked out on paper from the rules. */
function expected(timing: Timing, steps: Step[], endDelay: number): Received<Item>[] {
  const out: Received<Item>[] = [];
  let now = 0;
  let held: Item | undefined;
  let deadline = Number.POSITIVE_INFINITY;
  let first = timing.flushFirst;
  const flush = (at: number) => {
    if (held === undefined) return;
    out.push({ value: held, at });
    held = undefined;
    deadline = Number.POSITIVE_INFINITY;
  };
  const timers = () => {
    if (deadline <= now) flush(deadline);
  };
  steps.forEach((step, id) => {
    now += step.delay;
    timers();
    const item = toItem(step, id);
    if (timing.bufferTokens === 1 || !itemOptions.isCoalescable(item)) {
      flush(now);
      out.push({ value: item, at: now });
    } else if (held === undefined) {
      if (first) out.push({ value: item, at: now });
      else {
        held = item;
        deadline = timing.flushIntervalMs > 0 ? now + timing.flushIntervalMs : Number.POSITIVE_INFINITY;
      }
    } else {
      const merged = itemOptions.merge(held, item);
      if (merged === undefined) {
        flush(now);
        held = item;
        deadline = timing.flushIntervalMs > 0 ? now + timing.flushIntervalMs : Number.POSITIVE_INFINITY;
      } else {
        held = merged;
        if (idsOf(merged).length >= timing.bufferTokens) flush(now);
      }
    }
    if (itemOptions.isCoalescable(item)) first = false;
  });
  now += endDelay;
  timers();
  flush(now);
  return out;
}

test('random items at random times: order, concatenation, batch sizes, waiting times, nothing after end', async () => {
  await fc.assert(
    fc.asyncProperty(timingArb, fc.array(stepArb, { maxLength: 30 }), endArb, async (timing, steps, end) => {
      vi.useFakeTimers({ now: 0 });
      try {
        const source = pushSource<Item>();
        const out = collect(source.stream.pipeThrough(coalesce({ ...itemOptions, ...timing })));
        const arrivals: number[] = [];
        for (const [id, step] of steps.entries()) {
          await vi.advanceTimersByTimeAsync(step.delay);
          await settle();
          arrivals.push(Date.now());
          source.push(toItem(step, id));
          await settle();
        }
        await vi.advanceTimersByTimeAsync(end.delay);
        await settle();
        const failure = new Error('upstream failed');
        if (end.error) source.error(failure);
        else source.close();
        const finished = await out.finished;
        const endedAt = Date.now();

        // The stream ends as its source did, and leaves nothing running.
        expect(finished).toEqual(end.error ? { error: failure } : { done: true });
        expect(vi.getTimerCount()).toBe(0);
        const count = out.received.length;
        await vi.advanceTimersByTimeAsync(1000);
        await settle();
        expect(out.received.length).toBe(count);
        expect(out.readsAfterEnd()).toBe(0);

        // Concatenation and order: every input id exactly once, in input order.
        expect(out.received.flatMap((r) => idsOf(r.value))).toEqual(steps.map((_, id) => id));
        for (const { value, at } of out.received) {
          const ids = idsOf(value);
          // No batch holds more than bufferTokens items, nor items of different blocks.
          expect(ids.length).toBeLessThanOrEqual(timing.bufferTokens);
          if (value.kind === 'text') {
            for (const id of ids) expect(steps[id]?.item).toEqual({ kind: 'text', block: value.block });
          }
          // No item is held past the interval (or past the end when there is no timer).
          for (const id of ids) {
            const waited = at - (arrivals[id] as number);
            expect(waited).toBeGreaterThanOrEqual(0);
            if (timing.flushIntervalMs > 0) expect(waited).toBeLessThanOrEqual(timing.flushIntervalMs);
            expect(at).toBeLessThanOrEqual(endedAt);
          }
        }
        // And exactly the batches and times the rules give.
        expect(out.received).toEqual(expected(timing, steps, end.delay));
      } finally {
        vi.useRealTimers();
      }
    }),
    { numRuns: 150 },
  );
});

test('coalesceIterable over random single-character tokens gives back the same text in small batches', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.string({ minLength: 1, maxLength: 1 }), { maxLength: 60 }),
      fc.integer({ min: 1, max: 8 }),
      fc.boolean(),
      async (tokens, bufferTokens, flushFirst) => {
        async function* source() {
          yield* tokens;
        }
        const out: string[] = [];
        for await (const chunk of coalesceIterable(
          source(),
          stringCoalesceOptions({ bufferTokens, flushIntervalMs: 0, flushFirst }),
        )) {
          out.push(chunk);
        }
        expect(out.join('')).toBe(tokens.join(''));
        for (const chunk of out) expect(chunk.length).toBeLessThanOrEqual(bufferTokens);
        // With no timer and no structure, batches are full except the first (flushFirst) and the last.
        const middle = out.slice(flushFirst ? 1 : 0, -1);
        for (const chunk of middle) expect(chunk.length).toBe(bufferTokens);
      },
    ),
    { numRuns: 100 },
  );
});

test('a slow reader at random times never leaves more than bufferTokens source items inside', async () => {
  await fc.assert(
    fc.asyncProperty(
      timingArb,
      fc.array(stepArb, { minLength: 1, maxLength: 40 }),
      fc.array(fc.oneof(fc.constant('read' as const), fc.integer({ min: 1, max: 150 })), { maxLength: 30 }),
      async (timing, steps, actions) => {
        vi.useFakeTimers({ now: 0 });
        try {
          const items = steps.map(toItem);
          let pulled = 0;
          const source = new ReadableStream<Item>(
            {
              pull(controller) {
                const item = items[pulled++];
                if (item === undefined) controller.close();
                else controller.enqueue(item);
              },
            },
            { highWaterMark: 0 },
          );
          const reader = source.pipeThrough(coalesce({ ...itemOptions, ...timing })).getReader();
          const got: number[] = [];
          const inside = () => Math.min(pulled, items.length) - got.length;
          for (const action of actions) {
            if (action === 'read') {
              const result = await reader.read();
              if (!result.done) got.push(...idsOf(result.value));
            } else {
              await vi.advanceTimersByTimeAsync(action);
            }
            await settle();
            expect(inside()).toBeLessThanOrEqual(timing.bufferTokens);
          }
          for (;;) {
            const result = await reader.read();
            if (result.done) break;
            got.push(...idsOf(result.value));
          }
          expect(got).toEqual(items.map((_, id) => id));
          expect(vi.getTimerCount()).toBe(0);
        } finally {
          vi.useRealTimers();
        }
      },
    ),
    { numRuns: 100 },
  );
});
