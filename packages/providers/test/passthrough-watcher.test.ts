/**
 * The dialects' passthrough watchers, fed the way the server's fast path feeds them (whole events only, any
 * chunking, LF or CRLF). In-stream errors get the type the stream decoder gives them.
 */
import { anthropicMessages } from '@tokenpak/anthropic';
import { openaiChat } from '@tokenpak/openai';
import type { Dialect, StreamReport } from '@tokenpak/provider';
import { indexOfBytes, lastEventBoundary, parseSse } from '@tokenpak/provider-utils';
import { readAll } from '@tokenpak/provider-utils/test';
import { describe, expect, test } from 'vitest';
import { readFixture as fixture } from './helpers/fixtures.ts';
import { textStream } from './translation/support.ts';

const encoder = new TextEncoder();
const DIALECTS: Record<string, Dialect> = {
  'openai-chat': openaiChat,
  'anthropic-messages': anthropicMessages,
};

/** Feeds `wire` in chunks of `size` bytes the way the fast path does: whole events only. */
function watch(
  name: 'openai-chat' | 'anthropic-messages',
  wire: string,
  size = Number.POSITIVE_INFINITY,
  includeUsage = true,
  rename?: { from: string; to: string },
): StreamReport & { forwarded: string } {
  const watcher = DIALECTS[name]!.createPassthroughWatcher!({
    provider: 'p',
    includeUsage,
    ...(rename && { rename }),
  });
  const bytes = encoder.encode(wire);
  const out: Uint8Array[] = [];
  let held = new Uint8Array(0);
  const release = (all: Uint8Array, boundary: number) => {
    out.push(watcher.inspect(all, boundary) ?? all.slice(0, boundary));
  };
  for (let at = 0; at < bytes.length; at += size) {
    const piece = bytes.subarray(at, Math.min(bytes.length, at + size));
    const all = new Uint8Array(held.length + piece.length);
    all.set(held, 0);
    all.set(piece, held.length);
    const boundary = lastEventBoundary(all);
    release(all, boundary);
    held = all.slice(boundary);
  }
  if (held.length > 0) {
    const all = new Uint8Array(held.length + 2);
    all.set(held, 0);
    all.set([10, 10], held.length);
    release(all, all.length);
  }
  return { ...watcher.report(), forwarded: Buffer.concat(out).toString('utf8') };
}

const openaiChunk = (delta: string, extra = '') =>
  `data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":${delta},"finish_reason":null}]${extra}}\n\n`;

/** What the dialect's stream decoder says of the same wire: the error type the watcher must agree on. */
async function decodedError(name: 'openai-chat' | 'anthropic-messages', wire: string) {
  const events = await readAll(parseSse(textStream(wire)).pipeThrough(DIALECTS[name]!.decodeStream()));
  const last = events.at(-1);
  return last?.type === 'error' ? last.error : undefined;
}

describe('passthrough watchers', () => {
  test.each([
    ['anthropic/text.sse', 'anthropic-messages'],
    ['anthropic/tool-use.sse', 'anthropic-messages'],
    ['openai/chat-text-include-usage.sse', 'openai-chat'],
    ['openai/chat-tool-call.sse', 'openai-chat'],
  ] as const)('%s: content and usage, whatever the chunking and line endings', (path, dialect) => {
    const wire = fixture(path);
    const whole = watch(dialect, wire);
    expect(whole.contentSeen).toBe(true);
    expect(whole.finished).toBe(true);
    expect(whole.usage.outputTokens).toBeGreaterThan(0);
    expect(whole.error).toBeUndefined();
    expect(whole.forwarded).toBe(wire);
    expect(watch(dialect, wire, 7)).toEqual(whole);
    const crlf = wire.replaceAll('\n', '\r\n');
    expect(watch(dialect, crlf, 61)).toEqual({ ...whole, forwarded: crlf });
  });

  test('the usage figures are the ones the stream reports', () => {
    const wire =
      openaiChunk('{"role":"assistant","content":""}', ',"usage":null') +
      openaiChunk('{"content":"Hi"}', ',"usage": null') +
      'data: {"id":"c","choices":[],"usage":{"prompt_tokens":11,"completion_tokens":22,"total_tokens":33}}\n\n' +
      'data: [DONE]\n\n';
    expect(watch('openai-chat', wire)).toEqual({
      contentSeen: true,
      finished: true,
      usage: { inputTokens: 11, outputTokens: 22 },
      forwarded: wire,
    });
    // A client that did not ask for usage does not get the chunk without choices; its usage is still read.
    const withoutUsage = watch('openai-chat', wire, 13, false);
    expect(withoutUsage.usage).toEqual({ inputTokens: 11, outputTokens: 22 });
    expect(withoutUsage.forwarded).toBe(wire.replace(/data: \{"id":"c","choices":\[\].*\n\n/, ''));
  });

  test('a cached Anthropic prompt counts every input token, as the decoder does', () => {
    const wire =
      'event: message_start\ndata: {"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[],"model":"c","usage":{"input_tokens":5,"cache_read_input_tokens":100,"cache_creation_input_tokens":20,"output_tokens":1}}}\n\n' +
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n' +
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}\n\n' +
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n' +
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":7}}\n\n' +
      'event: message_stop\ndata: {"type":"message_stop"}\n\n';
    expect(watch('anthropic-messages', wire).usage).toEqual({
      inputTokens: 125,
      outputTokens: 7,
      cacheReadTokens: 100,
      cacheWriteTokens: 20,
    });
  });

  test('a role chunk with empty content is not content', () => {
    const seen = watch('openai-chat', openaiChunk('{"role":"assistant","content":""}'));
    expect(seen.contentSeen).toBe(false);
    expect(seen.finished).toBe(false);
  });

  test.each([
    [
      'anthropic-messages',
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
    ],
    ['anthropic-messages', 'event: error\ndata: {"error":{"message":"x"}}\n\n'],
    ['openai-chat', 'data: {"error":{"message":"quota","type":"insufficient_quota"}}\n\n'],
    ['openai-chat', 'event: error\ndata: {"message":"boom","type":"server_error"}\n\n'],
  ] as const)("%s: an in-stream error is seen with the decoder's type (%j)", async (dialect, wire) => {
    const expected = await decodedError(dialect, wire);
    expect(expected).toBeDefined();
    expect(watch(dialect, wire).error).toMatchObject({ type: expected!.type, provider: 'p' });
  });

  test('text that says "error" is not an error, and is still content', () => {
    const seen = watch('openai-chat', openaiChunk('{"content":"no error here: \\"error\\""}'));
    expect(seen).toMatchObject({ contentSeen: true, finished: false, usage: {} });
  });

  test('indexOfBytes finds a needle only inside [from, end)', () => {
    const bytes = encoder.encode('ab"usage"cd"usage"');
    const needle = encoder.encode('"usage"');
    expect(indexOfBytes(bytes, needle, 0, bytes.length)).toBe(2);
    expect(indexOfBytes(bytes, needle, 3, bytes.length)).toBe(11);
    expect(indexOfBytes(bytes, needle, 3, bytes.length - 1)).toBe(-1);
  });

  test.each([
    ['openai/chat-tool-calls-parallel.sse', 'openai-chat'],
    ['anthropic/tool-use.sse', 'anthropic-messages'],
  ] as const)(
    '%s: the model is renamed to the alias in every event, whatever the chunking',
    (path, dialect) => {
      const wire = fixture(path);
      const upstreamModel = /"model": ?"([^"]+)"/.exec(wire)![1]!;
      const rename = { from: 'sent-id', to: 'my-alias' };
      const expected = wire.replace(/("model": ?")[^"]+"/g, '$1my-alias"');
      expect(expected).not.toBe(wire);
      expect(watch(dialect, wire, undefined, true, rename).forwarded).toBe(expected);
      expect(watch(dialect, wire, 5, true, rename).forwarded).toBe(expected);
      expect(upstreamModel).not.toBe('my-alias');
    },
  );

  test('a model name inside text is left alone', () => {
    const wire = openaiChunk('{"content":"say \\"model\\":\\"x\\""}', ',"model":"m"');
    const seen = watch('openai-chat', wire, undefined, true, { from: 'a', to: 'b' });
    expect(seen.forwarded).toBe(wire.replace('"model":"m"', '"model":"b"'));
    expect(seen.forwarded).toContain('\\"model\\":\\"x\\"');
  });
});
