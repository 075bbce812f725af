/** Event boundaries in written chunks (the stream log's and the fast path's `id:` numbering). */
import { describe, expect, test } from 'vitest';
import { countSseEvents, splitEvents, withEventIds } from '../src/resume/split-events.ts';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (s: string) => new TextEncoder().encode(s);

// All three blank-line forms in one chunk, interleaved, and a form that reappears after the others: the finder
// remembers where each form occurs next, so each must still be found in order.
const MIXED = [
  'data: 1\n\n',
  'event: a\r\ndata: 2\r\n\r\n',
  'data: 3\r\r',
  'data: 4\n\n',
  'data: 5\r\n\r\n',
  'data: 6\n\n',
  'data: 7\r\r',
];

describe('split-events', () => {
  test('splitEvents finds every event whatever its blank line, in order, and keeps a cut tail', () => {
    const chunk = `${MIXED.join('')}data: cut`;
    expect(splitEvents(bytes(chunk), 'sse').map(text)).toEqual([...MIXED, 'data: cut']);
    expect(splitEvents(chunk, 'sse').map(text)).toEqual([...MIXED, 'data: cut']);
  });

  test('countSseEvents counts whole events only', () => {
    expect(countSseEvents(bytes(MIXED.join('')))).toBe(MIXED.length);
    expect(countSseEvents(bytes(`${MIXED.join('')}data: 8\n`))).toBe(MIXED.length);
    expect(countSseEvents(bytes('data: none yet'))).toBe(0);
  });

  test('withEventIds numbers each event from the first id, across digit counts', () => {
    const events = Array.from({ length: 12 }, (_, i) => MIXED[i % MIXED.length] as string);
    const { bytes: out, next } = withEventIds(bytes(events.join('')), 5);
    expect(next).toBe(17);
    expect(text(out)).toBe(events.map((event, i) => `id: ${5 + i}\n${event}`).join(''));
  });

  test('a long chunk of one form: every event found (the other forms searched once, not once per event)', () => {
    const events = Array.from({ length: 2000 }, (_, i) => `event: e\ndata: {"i":${i}}\n\n`);
    const chunk = bytes(events.join(''));
    expect(countSseEvents(chunk)).toBe(2000);
    const { next } = withEventIds(chunk, 1);
    expect(next).toBe(2001);
    expect(splitEvents(chunk, 'sse').map(text)).toEqual(events);
  });

  test('NDJSON lines and JSON array elements', () => {
    expect(splitEvents('{"a":1}\n{"b":2}\n{"c"', 'ndjson').map(text)).toEqual([
      '{"a":1}\n',
      '{"b":2}\n',
      '{"c"',
    ]);
  });
});
