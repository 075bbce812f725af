import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  coalesce,
  coalesceStrings,
  DEFAULT_BUFFER_TOKENS,
  DEFAULT_FLUSH_INTERVAL_MS,
  stringCoalesceOptions,
} from '../src/index.ts';
import { collect, type Item, itemOptions, mark, pushSource, settle, text } from './helpers.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Moves the fake clock on and lets the streams react. */
async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await settle();
}

function strings(timing: Parameters<typeof coalesceStrings>[0]) {
  const source = pushSource<string>();
  const out = collect(source.stream.pipeThrough(coalesceStrings(timing)));
  return { source, out };
}

describe('flush by count', () => {
  test('emits one merged item as soon as bufferTokens items are held, and leaves no timer', async () => {
    const { source, out } = strings({ bufferTokens: 3, flushIntervalMs: 100, flushFirst: false });
    source.push('a');
    source.push('b');
    await settle();
    expect(out.values()).toEqual([]);
    expect(vi.getTimerCount()).toBe(1);
    source.push('c');
    await settle();
    expect(out.values()).toEqual(['abc']);
    expect(out.received[0]?.at).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    source.push('d');
    source.push('e');
    source.push('f');
    source.push('g');
    await settle();
    expect(out.values()).toEqual(['abc', 'def']);
  });
});

describe('flush by time', () => {
  test('the timer starts at the first held item and is not pushed back by later arrivals', async () => {
    const { source, out } = strings({ bufferTokens: 10, flushIntervalMs: 100, flushFirst: false });
    source.push('a');
    await advance(60);
    source.push('b');
    await advance(39);
    source.push('c');
    await settle();
    expect(out.values()).toEqual([]);
    await advance(1);
    expect(out.received).toEqual([{ value: 'abc', at: 100 }]);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('a new batch starts a new timer at its own first item', async () => {
    const { source, out } = strings({ bufferTokens: 10, flushIntervalMs: 100, flushFirst: false });
    source.push('a');
    await advance(100);
    await advance(50);
    source.push('b');
    await advance(99);
    expect(out.values()).toEqual(['a']);
    await advance(1);
    expect(out.received).toEqual([
      { value: 'a', at: 100 },
      { value: 'b', at: 250 },
    ]);
  });

  test('a short stream that ends before the interval is flushed at its end, not left stuck', async () => {
    const { source, out } = strings({ bufferTokens: 5, flushIntervalMs: 500, flushFirst: false });
    source.push('Hi');
    await advance(100);
    source.push(' there');
    await advance(100);
    source.close();
    await settle();
    expect(out.received).toEqual([{ value: 'Hi there', at: 200 }]);
    expect(await out.finished).toEqual({ done: true });
    expect(vi.getTimerCount()).toBe(0);
  });

  test('flushIntervalMs 0 means no timer: items wait for the count or the end', async () => {
    const { source, out } = strings({ bufferTokens: 3, flushIntervalMs: 0, flushFirst: false });
    source.push('a');
    source.push('b');
    await settle();
    expect(vi.getTimerCount()).toBe(0);
    await advance(10_000);
    expect(out.values()).toEqual([]);
    source.close();
    await settle();
    expect(out.values()).toEqual(['ab']);
  });
});

describe('structural items', () => {
  test('held items are flushed just before a non-coalescable item, in order', async () => {
    const source = pushSource<Item>();
    const out = collect(
      source.stream.pipeThrough(
        coalesce({ ...itemOptions, bufferTokens: 10, flushIntervalMs: 100, flushFirst: false }),
      ),
    );
    source.push(text(1));
    source.push(text(2));
    source.push(mark(3));
    source.push(text(4));
    source.push(mark(5));
    source.push(mark(6));
    await settle();
    expect(out.values()).toEqual([
      { kind: 'text', block: 0, ids: [1, 2] },
      mark(3),
      text(4),
      mark(5),
      mark(6),
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('an error event (non-coalescable) comes after the text held before it', async () => {
    type Ev = { type: 'delta'; text: string } | { type: 'error'; message: string };
    const source = pushSource<Ev>();
    const out = collect(
      source.stream.pipeThrough(
        coalesce<Ev>({
          bufferTokens: 5,
          flushIntervalMs: 500,
          isCoalescable: (e) => e.type === 'delta',
          merge: (a, b) =>
            a.type === 'delta' && b.type === 'delta' ? { type: 'delta', text: a.text + b.text } : undefined,
        }),
      ),
    );
    source.push({ type: 'delta', text: 'A' });
    source.push({ type: 'delta', text: 'B' });
    source.push({ type: 'delta', text: 'C' });
    source.push({ type: 'error', message: 'overloaded' });
    source.close();
    expect(await out.finished).toEqual({ done: true });
    expect(out.values()).toEqual([
      { type: 'delta', text: 'A' },
      { type: 'delta', text: 'BC' },
      { type: 'error', message: 'overloaded' },
    ]);
  });

  test('when merge refuses (another block), the held item is flushed and the new one starts a batch', async () => {
    const source = pushSource<Item>();
    const out = collect(
      source.stream.pipeThrough(
        coalesce({ ...itemOptions, bufferTokens: 10, flushIntervalMs: 100, flushFirst: false }),
      ),
    );
    source.push(text(1, 0));
    source.push(text(2, 0));
    await advance(40);
    source.push(text(3, 1));
    await settle();
    expect(out.received).toEqual([{ value: { kind: 'text', block: 0, ids: [1, 2] }, at: 40 }]);
    await advance(99);
    source.push(text(4, 1));
    await advance(1);
    expect(out.received[1]).toEqual({ value: { kind: 'text', block: 1, ids: [3, 4] }, at: 140 });
  });
});

describe('flushFirst', () => {
  test('by default the first coalescable item is emitted at once, then buffering starts', async () => {
    const { source, out } = strings({ bufferTokens: 3, flushIntervalMs: 100 });
    source.push('Once');
    await settle();
    expect(out.received).toEqual([{ value: 'Once', at: 0 }]);
    source.push(' upon');
    source.push(' a');
    await settle();
    expect(out.values()).toEqual(['Once']);
    source.push(' time');
    await settle();
    expect(out.values()).toEqual(['Once', ' upon a time']);
  });

  test('it applies to the first coalescable item even after structural items, and only once', async () => {
    const source = pushSource<Item>();
    const out = collect(
      source.stream.pipeThrough(coalesce({ ...itemOptions, bufferTokens: 3, flushIntervalMs: 100 })),
    );
    source.push(mark(1));
    source.push(text(2));
    await settle();
    expect(out.values()).toEqual([mark(1), text(2)]);
    source.push(mark(3));
    source.push(text(4));
    await settle();
    expect(out.values()).toEqual([mark(1), text(2), mark(3)]);
  });

  test('flushFirst: false holds the first item too', async () => {
    const { source, out } = strings({ bufferTokens: 3, flushIntervalMs: 100, flushFirst: false });
    source.push('Once');
    await settle();
    expect(out.values()).toEqual([]);
    await advance(100);
    expect(out.received).toEqual([{ value: 'Once', at: 100 }]);
  });
});

describe('bufferTokens 1', () => {
  test('is an exact pass-through: same items, same objects, no merge, no timer', async () => {
    const merge = vi.fn(itemOptions.merge);
    const isCoalescable = vi.fn(itemOptions.isCoalescable);
    const source = pushSource<Item>();
    const out = collect(
      source.stream.pipeThrough(
        coalesce({ bufferTokens: 1, flushIntervalMs: 100, flushFirst: false, isCoalescable, merge }),
      ),
    );
    const items = [text(1), text(2), mark(3), text(4, 1), text(5, 1)];
    for (const item of items) source.push(item);
    await settle();
    expect(vi.getTimerCount()).toBe(0);
    source.close();
    expect(await out.finished).toEqual({ done: true });
    expect(out.values()).toHaveLength(items.length);
    out.values().forEach((value, i) => {
      expect(value).toBe(items[i]);
    });
    expect(merge).not.toHaveBeenCalled();
    expect(isCoalescable).not.toHaveBeenCalled();
  });
});

describe('end, error and cancel', () => {
  test('the source end flushes held items, then the stream ends; nothing comes after', async () => {
    const { source, out } = strings({ bufferTokens: 5, flushIntervalMs: 100, flushFirst: false });
    source.push('a');
    source.push('b');
    source.close();
    expect(await out.finished).toEqual({ done: true });
    expect(out.values()).toEqual(['ab']);
    expect(vi.getTimerCount()).toBe(0);
    await advance(1000);
    expect(out.values()).toEqual(['ab']);
    expect(out.readsAfterEnd()).toBe(0);
  });

  test('a source error is passed on after the held items, and leaves no timer', async () => {
    const { source, out } = strings({ bufferTokens: 5, flushIntervalMs: 100, flushFirst: false });
    source.push('a');
    source.push('b');
    await settle();
    const failure = new Error('upstream reset');
    source.error(failure);
    expect(await out.finished).toEqual({ error: failure });
    expect(out.values()).toEqual(['ab']);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('a source error waits until the reader has taken every item emitted before it', async () => {
    const source = pushSource<string>();
    const readable = source.stream.pipeThrough(
      coalesceStrings({ bufferTokens: 5, flushIntervalMs: 100, flushFirst: false }),
    );
    const reader = readable.getReader();
    source.push('a');
    source.push('b');
    await advance(100); // the timer emits 'ab'; nobody reads it yet
    source.push('c'); // held; its write now waits for the reader
    await settle();
    source.error(new Error('boom'));
    await settle();
    expect(await reader.read()).toEqual({ done: false, value: 'ab' });
    expect(await reader.read()).toEqual({ done: false, value: 'c' });
    await expect(reader.read()).rejects.toThrow('boom');
    expect(vi.getTimerCount()).toBe(0);
  });

  test('a writer abort (no pipe) is passed on as the readable error after the held items', async () => {
    const { readable, writable } = coalesceStrings({
      bufferTokens: 5,
      flushIntervalMs: 100,
      flushFirst: false,
    });
    const out = collect(readable);
    const writer = writable.getWriter();
    await writer.write('x');
    await writer.write('y');
    await writer.abort('gone');
    expect(await out.finished).toEqual({ error: 'gone' });
    expect(out.values()).toEqual(['xy']);
    expect(vi.getTimerCount()).toBe(0);
  });

  test.each([1, 5])(
    'cancel from the reader reaches the source (bufferTokens %i), and leaves no timer',
    async (bufferTokens) => {
      const source = pushSource<string>();
      const reader = source.stream
        .pipeThrough(coalesceStrings({ bufferTokens, flushIntervalMs: 100 }))
        .getReader();
      source.push('a');
      expect(await reader.read()).toEqual({ done: false, value: 'a' });
      source.push('b');
      source.push('c');
      await settle();
      expect(vi.getTimerCount()).toBe(bufferTokens === 1 ? 0 : 1);
      await reader.cancel('client went away');
      expect(await source.cancelled).toBe('client went away');
      expect(vi.getTimerCount()).toBe(0);
      await advance(1000);
    },
  );

  test('cancel while a write waits for the slow reader releases it and cancels the source', async () => {
    let pulled = 0;
    let onCancel!: (reason: unknown) => void;
    const cancelled = new Promise<unknown>((resolve) => {
      onCancel = resolve;
    });
    const source = new ReadableStream<string>(
      {
        pull(controller) {
          controller.enqueue(String(pulled++));
        },
        cancel: (reason) => onCancel(reason),
      },
      { highWaterMark: 0 },
    );
    const readable = source.pipeThrough(coalesceStrings({ bufferTokens: 3, flushIntervalMs: 100 }));
    await settle();
    expect(pulled).toBeGreaterThan(0);
    await readable.cancel('stop');
    expect(await cancelled).toBe('stop');
    expect(vi.getTimerCount()).toBe(0);
  });

  test('a merge that throws fails the reader and cancels the source, leaving no timer', async () => {
    const source = pushSource<string>();
    const out = collect(
      source.stream.pipeThrough(
        coalesce<string>({
          bufferTokens: 5,
          flushIntervalMs: 100,
          flushFirst: false,
          isCoalescable: () => true,
          merge: (a, b) => {
            if (b === 'bad') throw new TypeError('cannot merge');
            return a + b;
          },
        }),
      ),
    );
    source.push('a');
    source.push('bad');
    const finished = await out.finished;
    expect(finished).toMatchObject({ error: { message: 'cannot merge' } });
    expect(await source.cancelled).toBeInstanceOf(TypeError);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('a timer that was pending when the stream ended does not fire into it', async () => {
    const { source, out } = strings({ bufferTokens: 5, flushIntervalMs: 100, flushFirst: false });
    source.push('a');
    await advance(50);
    expect(vi.getTimerCount()).toBe(1);
    source.close();
    await out.finished;
    expect(vi.getTimerCount()).toBe(0);
    await advance(100);
    expect(out.values()).toEqual(['a']);
  });
});

describe('backpressure', () => {
  /** An endless source of one-character tokens that counts how many were taken from it. */
  function countingSource() {
    const state = { pulled: 0 };
    const stream = new ReadableStream<string>(
      {
        pull(controller) {
          state.pulled++;
          controller.enqueue('t');
        },
      },
      { highWaterMark: 0 },
    );
    return { state, stream };
  }

  test.each([
    [2, true],
    [5, false],
    [50, false],
  ])(
    'with no reader, at most one batch is taken (bufferTokens %i, flushFirst %s)',
    async (bufferTokens, flushFirst) => {
      const { state, stream } = countingSource();
      const readable = stream.pipeThrough(
        coalesceStrings({ bufferTokens, flushIntervalMs: 100, flushFirst }),
      );
      await settle();
      await advance(1000);
      // One emitted item is queued for the reader; its write waits, so the pipe takes nothing more.
      const bound = flushFirst ? 1 : bufferTokens;
      expect(state.pulled).toBe(bound);
      const reader = readable.getReader();
      const first = await reader.read();
      expect(first.value).toBe(flushFirst ? 't' : 't'.repeat(bufferTokens));
      await settle();
      // Reading one item lets at most one more batch in.
      expect(state.pulled).toBeLessThanOrEqual(bound + bufferTokens);
      await reader.cancel();
    },
  );

  test('timer flushes while the reader is slow do not let the source run ahead', async () => {
    let release!: () => void;
    let pulled = 0;
    const stream = new ReadableStream<string>(
      {
        async pull(controller) {
          if (pulled >= 2) await new Promise<void>((resolve) => (release = resolve));
          pulled++;
          controller.enqueue(String(pulled));
        },
      },
      { highWaterMark: 0 },
    );
    const readable = stream.pipeThrough(
      coalesceStrings({ bufferTokens: 5, flushIntervalMs: 100, flushFirst: false }),
    );
    await settle();
    expect(pulled).toBe(2);
    await advance(100); // '12' is flushed by the timer, unread
    for (let i = 0; i < 10; i++) {
      release();
      await settle();
      await advance(100);
    }
    // After the timer flush one more item was taken and held; its write waits for the reader (the timer
    // flushes it too), so nothing more is taken from the source however often the timer runs.
    expect(pulled).toBe(3);
    const reader = readable.getReader();
    expect(await reader.read()).toEqual({ done: false, value: '12' });
    expect(await reader.read()).toEqual({ done: false, value: '3' });
    await reader.cancel();
  });
});

describe('options', () => {
  test('defaults mirror the recipe: 5 tokens, 500 ms, first token at once', async () => {
    expect(DEFAULT_BUFFER_TOKENS).toBe(5);
    expect(DEFAULT_FLUSH_INTERVAL_MS).toBe(500);
    const { source, out } = strings(undefined);
    for (const t of ['0', '1', '2', '3', '4', '5', '6']) source.push(t);
    await advance(499);
    expect(out.values()).toEqual(['0', '12345']);
    await advance(1);
    expect(out.received[2]).toEqual({ value: '6', at: 500 });
  });

  test.each([
    [{ bufferTokens: 0 }, /bufferTokens/],
    [{ bufferTokens: 2.5 }, /bufferTokens/],
    [{ bufferTokens: Number.NaN }, /bufferTokens/],
    [{ flushIntervalMs: -1 }, /flushIntervalMs/],
    [{ flushIntervalMs: Number.POSITIVE_INFINITY }, /flushIntervalMs/],
  ])('rejects %o with a RangeError naming the option', (timing, message) => {
    expect(() => coalesceStrings(timing)).toThrow(RangeError);
    expect(() => coalesce(stringCoalesceOptions(timing))).toThrow(message);
  });

  test('rejects a missing merge function', () => {
    expect(() => coalesce({ isCoalescable: () => true } as never)).toThrow(TypeError);
  });
});
