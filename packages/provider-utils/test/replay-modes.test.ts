/** The replay plans: whole, every byte, seeded random chunks, and line endings converted byte-wise. */
import { describe, expect, test } from 'vitest';
import { readAll } from '../src/test/call-context.ts';
import {
  convertLineEndings,
  replayChunks,
  replayModes,
  replayStream,
  usesCrlf,
} from '../src/test/replay-modes.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const joined = (chunks: Array<{ bytes: Uint8Array }>) => Buffer.concat(chunks.map((c) => c.bytes));

describe('replayModes', () => {
  test('default: whole, one random seed, every byte, flipped line endings', () => {
    expect(replayModes()).toEqual([
      { name: 'whole', split: 'whole', lineEndings: 'as-recorded' },
      { name: 'random-1', split: { seed: 1, maxChunk: 64, maxDelayMs: 0 }, lineEndings: 'as-recorded' },
      { name: 'bytes', split: 'bytes', lineEndings: 'as-recorded' },
      { name: 'flip-line-endings', split: 'whole', lineEndings: 'flip' },
    ]);
  });

  test('options: several seeds, chunk size and delays, without bytes or flipping', () => {
    const modes = replayModes({
      seeds: [7, 8],
      maxChunk: 5,
      maxDelayMs: 3,
      bytes: false,
      flipLineEndings: false,
    });
    expect(modes.map((mode) => mode.name)).toEqual(['whole', 'random-7', 'random-8']);
    expect(modes[1]?.split).toEqual({ seed: 7, maxChunk: 5, maxDelayMs: 3 });
  });
});

describe('replayChunks', () => {
  const text = 'data: {"a":"é👋"}\n\ndata: [DONE]\n\n';

  test('whole: one chunk, the bytes unchanged', () => {
    const chunks = replayChunks(text, { split: 'whole', lineEndings: 'as-recorded' });
    expect(chunks).toHaveLength(1);
    expect(decode(joined(chunks))).toBe(text);
  });

  test('bytes: one chunk per byte, multi-byte characters cut too', () => {
    const chunks = replayChunks(text, { split: 'bytes', lineEndings: 'as-recorded' });
    expect(chunks).toHaveLength(encode(text).length);
    expect(chunks.every((chunk) => chunk.bytes.length === 1)).toBe(true);
    expect(decode(joined(chunks))).toBe(text);
  });

  test('random: 1..maxChunk bytes, the same cuts for the same seed, other cuts for another', () => {
    const split = { seed: 42, maxChunk: 4, maxDelayMs: 5 };
    const a = replayChunks(text, { split, lineEndings: 'as-recorded' });
    const b = replayChunks(encode(text), { split, lineEndings: 'as-recorded' });
    const c = replayChunks(text, { split: { ...split, seed: 43 }, lineEndings: 'as-recorded' });
    expect(decode(joined(a))).toBe(text);
    expect(a.every((chunk) => chunk.bytes.length >= 1 && chunk.bytes.length <= 4)).toBe(true);
    expect(a.every((chunk) => chunk.delayMs >= 0 && chunk.delayMs < 5)).toBe(true);
    expect(a.map((chunk) => chunk.bytes.length)).toEqual(b.map((chunk) => chunk.bytes.length));
    expect(a.map((chunk) => chunk.delayMs)).toEqual(b.map((chunk) => chunk.delayMs));
    expect(c.map((chunk) => chunk.bytes.length)).not.toEqual(a.map((chunk) => chunk.bytes.length));
  });

  test('an empty body: one empty chunk whole, none split', () => {
    expect(replayChunks('', { split: 'whole', lineEndings: 'as-recorded' })).toHaveLength(1);
    expect(replayChunks('', { split: 'bytes', lineEndings: 'as-recorded' })).toHaveLength(0);
  });

  test('replayStream delivers the planned chunks in memory', async () => {
    const chunks = await readAll(replayStream(text, { split: 'bytes', lineEndings: 'crlf' }));
    expect(chunks).toHaveLength(encode(text).length + 4);
    expect(decode(Buffer.concat(chunks))).toBe(text.replaceAll('\n', '\r\n'));
  });
});

describe('line endings', () => {
  test('crlf: every bare LF gets a CR, existing CRLF is kept', () => {
    expect(decode(convertLineEndings(encode('a\nb\r\nc\n'), 'crlf'))).toBe('a\r\nb\r\nc\r\n');
  });

  test('lf: every CRLF loses its CR, a lone CR is kept', () => {
    expect(decode(convertLineEndings(encode('a\r\nb\rc\r\n'), 'lf'))).toBe('a\nb\rc\n');
  });

  test('flip: LF recordings become CRLF, CRLF recordings (Gemini) become LF, mixed ones CRLF', () => {
    expect(decode(convertLineEndings(encode('data: 1\n\n'), 'flip'))).toBe('data: 1\r\n\r\n');
    expect(decode(convertLineEndings(encode('data: 1\r\n\r\n'), 'flip'))).toBe('data: 1\n\n');
    expect(decode(convertLineEndings(encode('a\r\nb\n'), 'flip'))).toBe('a\r\nb\r\n');
  });

  test('usesCrlf: only CRLF, at least once', () => {
    expect(usesCrlf(encode('a\r\n\r\n'))).toBe(true);
    expect(usesCrlf(encode('a\r\nb\n'))).toBe(false);
    expect(usesCrlf(encode('no newline'))).toBe(false);
    expect(usesCrlf(encode('\n'))).toBe(false);
  });

  test('as-recorded returns the same bytes', () => {
    const bytes = encode('a\r\nb\n');
    expect(convertLineEndings(bytes, 'as-recorded')).toBe(bytes);
  });
});
