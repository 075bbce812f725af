import { describe, expect, it } from 'vitest';
import { SseCollector } from '../src/client/sse-collector.mjs';
import { expectedText } from '../src/upstream/tokens.mjs';
import { anthropicStreamPieces, anthropicTail } from '../src/upstream/wire-anthropic.mjs';
import { openaiStreamPieces, openaiUsageChunk } from '../src/upstream/wire-openai.mjs';

const TOKENS = 20;

function openaiStream(tokens) {
  const pieces = openaiStreamPieces('m');
  const parts = [pieces.head];
  for (let i = 0; i < tokens; i++) parts.push(pieces.deltas[i % pieces.deltas.length]);
  parts.push(pieces.finish, openaiUsageChunk('m', tokens), pieces.done);
  return Buffer.concat(parts);
}

function anthropicStream(tokens) {
  const pieces = anthropicStreamPieces('m');
  const parts = [pieces.head];
  for (let i = 0; i < tokens; i++) parts.push(pieces.deltas[i % pieces.deltas.length]);
  parts.push(anthropicTail(tokens));
  return Buffer.concat(parts);
}

function collect(dialect, bytes, cut) {
  let firstContent = 0;
  const collector = new SseCollector(dialect, () => firstContent++);
  for (let at = 0; at < bytes.length; at += cut) collector.push(bytes.subarray(at, at + cut));
  collector.end();
  return { collector, firstContent };
}

describe('SseCollector on the fake upstream wire formats', () => {
  /** @type {Array<[string, (tokens: number) => Buffer]>} */
  const cases = [
    ['openai', openaiStream],
    ['anthropic', anthropicStream],
  ];
  for (const [dialect, encode] of cases) {
    it(`${dialect}: reassembles the exact text at every split size, UTF-8 included`, () => {
      const bytes = encode(TOKENS);
      for (const cut of [1, 2, 3, 7, 64, bytes.length]) {
        const { collector, firstContent } = collect(dialect, bytes, cut);
        expect(collector.text).toBe(expectedText(TOKENS));
        expect(collector.complete).toBe(true);
        expect(collector.contentEvents).toBe(TOKENS);
        expect(firstContent).toBe(1);
      }
    });

    it(`${dialect}: a stream cut before its last events is not complete`, () => {
      const bytes = encode(TOKENS);
      const { collector } = collect(dialect, bytes.subarray(0, bytes.length - 30), 50);
      expect(collector.complete).toBe(false);
    });
  }

  it('CRLF line endings parse the same', () => {
    const bytes = Buffer.from(openaiStream(5).toString().replaceAll('\n', '\r\n'));
    const { collector } = collect('openai', bytes, 5);
    expect(collector.text).toBe(expectedText(5));
    expect(collector.complete).toBe(true);
  });

  it('an error event is reported', () => {
    const pieces = anthropicStreamPieces('m');
    const error = Buffer.from(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
    );
    const { collector } = collect('anthropic', Buffer.concat([pieces.head, pieces.deltas[0], error]), 100);
    expect(collector.error).toBe('Overloaded');
    expect(collector.complete).toBe(false);
  });
});
