import { afterEach, expect, test, vi } from 'vitest';
import { coalesceIterable, stringCoalesceOptions } from '../src/index.ts';
import { settle } from './helpers.ts';

afterEach(() => {
  vi.useRealTimers();
});

async function toArray<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

test('coalesces an async iterable of strings (the README example)', async () => {
  async function* tokens() {
    yield* ['Once', ' upon', ' a', ' time', ','];
  }
  const chunks = await toArray(coalesceIterable(tokens(), stringCoalesceOptions({ bufferTokens: 2 })));
  expect(chunks).toEqual(['Once', ' upon a', ' time,']);
});

test('accepts a plain iterable', async () => {
  const chunks = await toArray(
    coalesceIterable(['a', 'b', 'c'], stringCoalesceOptions({ bufferTokens: 5, flushFirst: false })),
  );
  expect(chunks).toEqual(['abc']);
  // A string is an iterable of its characters.
  const fromString = await toArray(coalesceIterable('hello', stringCoalesceOptions({ bufferTokens: 2 })));
  expect(fromString).toEqual(['h', 'el', 'lo']);
});

test('the timer flushes while the source is slow', async () => {
  vi.useFakeTimers({ now: 0 });
  let release!: () => void;
  async function* tokens() {
    yield 'a';
    yield 'b';
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    yield 'c';
  }
  const seen: { chunk: string; at: number }[] = [];
  const done = (async () => {
    for await (const chunk of coalesceIterable(
      tokens(),
      stringCoalesceOptions({ bufferTokens: 5, flushIntervalMs: 100, flushFirst: false }),
    )) {
      seen.push({ chunk, at: Date.now() });
    }
  })();
  await settle();
  expect(seen).toEqual([]);
  await vi.advanceTimersByTimeAsync(100);
  await settle();
  expect(seen).toEqual([{ chunk: 'ab', at: 100 }]);
  release();
  await done;
  expect(seen).toEqual([
    { chunk: 'ab', at: 100 },
    { chunk: 'c', at: 100 },
  ]);
  expect(vi.getTimerCount()).toBe(0);
});

test('held items are yielded before the source error is thrown', async () => {
  vi.useFakeTimers({ now: 0 });
  async function* tokens() {
    yield 'a';
    yield 'b';
    throw new Error('connection reset');
  }
  const seen: string[] = [];
  const run = async () => {
    for await (const chunk of coalesceIterable(
      tokens(),
      stringCoalesceOptions({ bufferTokens: 5, flushFirst: false }),
    )) {
      seen.push(chunk);
    }
  };
  await expect(run()).rejects.toThrow('connection reset');
  expect(seen).toEqual(['ab']);
  expect(vi.getTimerCount()).toBe(0);
});

test('leaving the loop early returns the source iterator and leaves no timer', async () => {
  vi.useFakeTimers({ now: 0 });
  let returned!: () => void;
  const sourceReturned = new Promise<void>((resolve) => {
    returned = resolve;
  });
  async function* tokens() {
    try {
      for (let i = 0; ; i++) yield String(i);
    } finally {
      returned();
    }
  }
  const seen: string[] = [];
  for await (const chunk of coalesceIterable(tokens(), stringCoalesceOptions({ bufferTokens: 3 }))) {
    seen.push(chunk);
    if (seen.length === 2) break;
  }
  await sourceReturned;
  expect(seen).toEqual(['0', '123']);
  expect(vi.getTimerCount()).toBe(0);
});
