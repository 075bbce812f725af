/** The in-memory stream log: what a resume reads back, whatever merging the log did to keep its chunks few. */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createMemoryStreamLogStore } from '../src/resume/memory-stream-log-store.ts';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const event = (i: number) => `id: ${i}\ndata: {"token":"t${i} é"}\n\n`;
const META = { dialect: 'openai-chat', framing: 'sse' as const, headers: {}, owner: '' };

function store() {
  return createMemoryStreamLogStore({ keepMs: 60_000, maxBytesPerStream: 1 << 20, maxBytesTotal: 1 << 24 });
}

/** Reads the log from `after`: the events handed out, and whether it said the end. */
function readFrom(
  log: { follow: (after: number, c: (b: Uint8Array) => void, e: () => void) => () => void },
  after: number,
) {
  let out = '';
  let ended = false;
  const stop = log.follow(
    after,
    (chunk) => {
      out += text(chunk);
    },
    () => {
      ended = true;
    },
  );
  return { out, ended, stop };
}

describe('memory stream log', () => {
  test.each(['bytes', 'text and bytes'] as const)(
    'every position reads back exactly the events after it, across merged chunks (%s)',
    (kind) => {
      const logs = store();
      const log = logs.open(META)!;
      const all = Array.from({ length: 150 }, (_, i) => event(i + 1));
      // One event a chunk (a token stream), a few chunks of three; text from the translated path, bytes else.
      let i = 0;
      while (i < all.length) {
        const size = i % 50 === 7 ? 3 : 1;
        const part = all.slice(i, i + size).join('');
        const asText = kind === 'text and bytes' && i % 2 === 0;
        log.append(asText ? part : new TextEncoder().encode(part), size);
        i += size;
      }
      // Before the end (some chunks merged, some not) and after it (all merged).
      for (const phase of ['open', 'ended'] as const) {
        if (phase === 'ended') log.end();
        for (const after of [0, 1, 7, 8, 9, 10, 63, 64, 65, 66, 127, 128, 129, 149, 150]) {
          const { out, ended, stop } = readFrom(log, after);
          stop();
          expect(out).toBe(all.slice(after).join(''));
          expect(ended).toBe(phase === 'ended');
        }
      }
      expect(log.length).toBe(150);
      logs.close();
    },
  );

  test('a reader following a live log gets each chunk as written, then the end', () => {
    const logs = store();
    const log = logs.open(META)!;
    for (let i = 1; i <= 70; i++) log.append(event(i), 1);
    const seen: string[] = [];
    let ended = false;
    log.follow(
      68,
      (chunk) => seen.push(text(chunk)),
      () => {
        ended = true;
      },
    );
    for (let i = 71; i <= 140; i++) log.append(new TextEncoder().encode(event(i)), 1);
    log.end();
    expect(seen.join('')).toBe(Array.from({ length: 72 }, (_, k) => event(69 + k)).join(''));
    expect(seen.length).toBe(72);
    expect(ended).toBe(true);
    logs.close();
  });

  describe('keep_ms', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    test('each finished log is dropped keep_ms after its own end, whatever ended before or after it', () => {
      vi.useFakeTimers();
      const logs = createMemoryStreamLogStore({
        keepMs: 1000,
        maxBytesPerStream: 1 << 20,
        maxBytesTotal: 1 << 24,
      });
      const a = logs.open(META)!;
      const b = logs.open(META)!;
      const c = logs.open(META)!;
      for (const log of [a, b, c]) log.append(event(1), 1);
      a.end();
      vi.advanceTimersByTime(600);
      b.end();
      vi.advanceTimersByTime(399); // t = 999
      expect([logs.get(a.id), logs.get(b.id), logs.get(c.id)].map(Boolean)).toEqual([true, true, true]);
      vi.advanceTimersByTime(1); // t = 1000: a's time
      expect([logs.get(a.id), logs.get(b.id), logs.get(c.id)].map(Boolean)).toEqual([false, true, true]);
      vi.advanceTimersByTime(599); // t = 1599
      expect(Boolean(logs.get(b.id))).toBe(true);
      vi.advanceTimersByTime(1); // t = 1600: b's time; c has not ended, so it stays
      expect([logs.get(b.id), logs.get(c.id)].map(Boolean)).toEqual([false, true]);
      c.end();
      vi.advanceTimersByTime(1000);
      expect(Boolean(logs.get(c.id))).toBe(false);
      expect(logs.stats()).toMatchObject({ logs: 0, bytes: 0 });
      // Nothing is left to wake up for.
      expect(vi.getTimerCount()).toBe(0);
      logs.close();
    });
  });
});
