import { readFileSync } from 'node:fs';
import type { DialectName, ProviderError } from '@tokenpak/providers';
import { describe, expect, test } from 'vitest';
import { lastEventBoundary } from '../src/pipeline/fast-path.ts';
import type { RequestTrace } from '../src/pipeline/request-trace.ts';
import { createSseWatcher, indexOfBytes } from '../src/pipeline/sse-watch.ts';

const encoder = new TextEncoder();

interface Seen {
  contentSeen: boolean;
  tokensIn?: number;
  tokensOut?: number;
  streamError?: ProviderError;
}

/** Feeds `wire` in chunks of `size` bytes the way the fast path does: whole events only. */
function watch(dialect: DialectName, wire: string, size = Number.POSITIVE_INFINITY): Seen {
  const seen: Seen = { contentSeen: false };
  const watcher = createSseWatcher(dialect, seen as unknown as RequestTrace, 'p');
  const bytes = encoder.encode(wire);
  let held = new Uint8Array(0);
  for (let at = 0; at < bytes.length; at += size) {
    const piece = bytes.subarray(at, Math.min(bytes.length, at + size));
    const all = new Uint8Array(held.length + piece.length);
    all.set(held, 0);
    all.set(piece, held.length);
    const boundary = lastEventBoundary(all);
    watcher.inspect(all, boundary);
    held = all.slice(boundary);
  }
  return seen;
}

function fixture(path: string): string {
  const home = path.startsWith('anthropic/') ? 'anthropic' : 'openai';
  return readFileSync(new URL(`../../${home}/test/fixtures/${path}`, import.meta.url), 'utf8');
}

const openaiChunk = (delta: string, extra = '') =>
  `data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":${delta},"finish_reason":null}]${extra}}\n\n`;

describe('createSseWatcher', () => {
  test.each([
    ['anthropic/text.sse', 'anthropic-messages'],
    ['anthropic/tool-use.sse', 'anthropic-messages'],
    ['openai/chat-text-include-usage.sse', 'openai-chat'],
    ['openai/chat-tool-call.sse', 'openai-chat'],
  ] as const)('%s: content and usage, whatever the chunking and line endings', (path, dialect) => {
    const wire = fixture(path);
    const whole = watch(dialect, wire);
    expect(whole.contentSeen).toBe(true);
    expect(whole.tokensOut).toBeGreaterThan(0);
    expect(whole.streamError).toBeUndefined();
    expect(watch(dialect, wire, 7)).toEqual(whole);
    expect(watch(dialect, wire.replaceAll('\n', '\r\n'), 61)).toEqual(whole);
  });

  test('the usage figures are the ones the stream reports', () => {
    const wire =
      openaiChunk('{"role":"assistant","content":""}', ',"usage":null') +
      openaiChunk('{"content":"Hi"}', ',"usage": null') +
      'data: {"id":"c","choices":[],"usage":{"prompt_tokens":11,"completion_tokens":22,"total_tokens":33}}\n\n' +
      'data: [DONE]\n\n';
    expect(watch('openai-chat', wire)).toEqual({ contentSeen: true, tokensIn: 11, tokensOut: 22 });
  });

  test('a role chunk with empty content is not content', () => {
    const seen = watch('openai-chat', openaiChunk('{"role":"assistant","content":""}'));
    expect(seen.contentSeen).toBe(false);
  });

  test.each([
    ['anthropic-messages', 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error"}}\n\n'],
    ['anthropic-messages', 'event: error\ndata: {"error":{"message":"x"}}\n\n'],
    ['openai-chat', 'data: {"error":{"message":"quota","type":"insufficient_quota"}}\n\n'],
  ] as const)('%s: an in-stream error is seen (%j)', (dialect, wire) => {
    expect(watch(dialect, wire).streamError).toMatchObject({ type: 'api_error', provider: 'p' });
  });

  test('text that says "error" is not an error, and is still content', () => {
    const seen = watch('openai-chat', openaiChunk('{"content":"no error here: \\"error\\""}'));
    expect(seen).toEqual({ contentSeen: true });
  });

  test('indexOfBytes finds a needle only inside [from, end)', () => {
    const bytes = encoder.encode('ab"usage"cd"usage"');
    const needle = encoder.encode('"usage"');
    expect(indexOfBytes(bytes, needle, 0, bytes.length)).toBe(2);
    expect(indexOfBytes(bytes, needle, 3, bytes.length)).toBe(11);
    expect(indexOfBytes(bytes, needle, 3, bytes.length - 1)).toBe(-1);
  });
});
