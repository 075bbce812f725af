import { ProviderError, type StreamEvent, type WireEvent } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { anthropicMessages } from '../../src/index.ts';
import {
  byteStream,
  collect,
  decodeBytes,
  eventsOf,
  fixtureNames,
  frameSse,
  readFixture,
  reassemble,
} from './support.ts';

function encode(
  events: StreamEvent[],
  options = { model: 'gpt-4-streaming', id: 'msg_test' },
): Promise<WireEvent[]> {
  return collect(eventsOf(events).pipeThrough(anthropicMessages.encodeStream(options)));
}

function payloads(wire: WireEvent[]): Array<Record<string, any>> {
  return wire.map((e) => {
    const data = JSON.parse(e.data);
    // Each SSE event name repeats the JSON type, as on Anthropic's wire.
    expect(e.event).toBe(data.type);
    return data;
  });
}

/** Canonical events as an OpenAI upstream yields them: indices from 1 with a gap, two parallel tool calls. */
const TRANSLATED: StreamEvent[] = [
  { type: 'message-start', id: 'chatcmpl-1', model: 'gpt-4o-2024-08-06' },
  { type: 'block-start', index: 1, block: { type: 'text' } },
  { type: 'text-delta', index: 1, text: 'Checking "both" cities\n' },
  { type: 'block-start', index: 3, block: { type: 'tool-call', id: 'call_a', name: 'get_weather' } },
  { type: 'tool-call-delta', index: 3, argumentsDelta: '{"city":' },
  { type: 'block-start', index: 4, block: { type: 'tool-call', id: 'call_b', name: 'get_weather' } },
  { type: 'tool-call-delta', index: 4, argumentsDelta: '{"city":"Oslo"}' },
  { type: 'tool-call-delta', index: 3, argumentsDelta: '"Paris"}' },
  { type: 'block-stop', index: 1 },
  { type: 'block-stop', index: 3 },
  { type: 'block-stop', index: 4 },
  { type: 'usage', usage: { inputTokens: 120, outputTokens: 40, cacheReadTokens: 100 } },
  {
    type: 'finish',
    reason: 'tool-calls',
    usage: { inputTokens: 120, outputTokens: 40, cacheReadTokens: 100 },
  },
];

describe('encodeStream', () => {
  test('follows the documented event order, numbers blocks densely and sends one block at a time', async () => {
    const wire = await encode(TRANSLATED);
    expect(wire.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const data = payloads(wire);
    expect(data[0]).toEqual({
      type: 'message_start',
      message: {
        id: 'msg_test',
        type: 'message',
        role: 'assistant',
        model: 'gpt-4-streaming',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    });
    expect(data[1]).toEqual({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    });
    expect(data[2]).toEqual({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: 'Checking "both" cities\n' },
    });
    expect(data[4]).toEqual({
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'call_a', name: 'get_weather', input: {} },
    });
    // The first call's deltas stay together even though the second call's arrived in between.
    expect(data.slice(5, 7).map((d) => d.delta.partial_json)).toEqual(['{"city":', '"Paris"}']);
    expect(data[8]).toMatchObject({ index: 2, content_block: { id: 'call_b' } });
    expect(data[9]).toEqual({
      type: 'content_block_delta',
      index: 2,
      delta: { type: 'input_json_delta', partial_json: '{"city":"Oslo"}' },
    });
    expect(data[11]).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      // Anthropic's input_tokens leaves out the cached part.
      usage: { input_tokens: 20, output_tokens: 40, cache_read_input_tokens: 100 },
    });
  });

  test('delta JSON built from a prefix equals the JSON of the whole object, for awkward text', async () => {
    const texts = ['"quoted"', 'line\nbreak\ttab', 'émoji 🎉 \u2028 \u0000', '</script>', '\\'];
    const events: StreamEvent[] = [
      { type: 'message-start', id: 'x', model: 'm' },
      { type: 'block-start', index: 0, block: { type: 'reasoning' } },
      ...texts.map((text): StreamEvent => ({ type: 'reasoning-delta', index: 0, text })),
      { type: 'reasoning-signature', index: 0, signature: 'sig==' },
      { type: 'block-stop', index: 0 },
      { type: 'finish', reason: 'stop', usage: {} },
    ];
    const deltas = (await encode(events)).filter((e) => e.event === 'content_block_delta');
    expect(deltas.map((e) => JSON.parse(e.data))).toEqual([
      ...texts.map((thinking) => ({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'thinking_delta', thinking },
      })),
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig==' } },
    ]);
  });

  test('refusal blocks become text blocks and the stop reason becomes refusal', async () => {
    const wire = await encode([
      { type: 'message-start', id: 'x', model: 'm' },
      { type: 'block-start', index: 0, block: { type: 'refusal' } },
      { type: 'text-delta', index: 0, text: "I'm sorry, I can't help with that." },
      { type: 'block-stop', index: 0 },
      { type: 'finish', reason: 'stop', usage: { inputTokens: 5, outputTokens: 9 } },
    ]);
    const data = payloads(wire);
    expect(data[1]!.content_block).toEqual({ type: 'text', text: '' });
    expect(data[2]!.delta).toEqual({ type: 'text_delta', text: "I'm sorry, I can't help with that." });
    expect(data.at(-2)).toMatchObject({ delta: { stop_reason: 'refusal' }, usage: { input_tokens: 5 } });
  });

  test.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool-calls', 'tool_use'],
    ['stop-sequence', 'stop_sequence'],
    ['content-filter', 'refusal'],
    ['refusal', 'refusal'],
    ['pause', 'pause_turn'],
    ['other', 'end_turn'],
  ] as const)('finish %s → stop_reason %s', async (reason, stopReason) => {
    const wire = await encode([
      { type: 'message-start', id: 'x', model: 'm' },
      { type: 'finish', reason, ...(reason === 'stop-sequence' && { stopSequence: 'END' }), usage: {} },
    ]);
    const delta = payloads(wire).find((d) => d.type === 'message_delta')!;
    expect(delta.delta).toEqual({
      stop_reason: stopReason,
      stop_sequence: reason === 'stop-sequence' ? 'END' : null,
    });
  });

  test('a canonical error becomes event: error and nothing follows', async () => {
    const wire = await encode([
      { type: 'message-start', id: 'x', model: 'm' },
      { type: 'block-start', index: 0, block: { type: 'text' } },
      { type: 'text-delta', index: 0, text: 'Hal' },
      { type: 'error', error: new ProviderError({ type: 'overloaded', message: 'Overloaded' }) },
      { type: 'text-delta', index: 0, text: 'f' },
      { type: 'finish', reason: 'stop', usage: {} },
    ]);
    expect(wire.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'error',
    ]);
    expect(JSON.parse(wire.at(-1)!.data)).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
  });

  test('a canonical stream that ends without finish or error gets an error event', async () => {
    const wire = await encode([{ type: 'message-start', id: 'x', model: 'm' }]);
    expect(wire.map((e) => e.event)).toEqual(['message_start', 'error']);
    expect(JSON.parse(wire[1]!.data).error.type).toBe('api_error');
  });

  test('blocks still open at finish are closed before message_delta; a minted id looks like Anthropic', async () => {
    const wire = await collect(
      eventsOf([
        { type: 'block-start', index: 0, block: { type: 'text' } },
        { type: 'text-delta', index: 0, text: 'a' },
        { type: 'block-start', index: 1, block: { type: 'redacted-reasoning', data: 'opaque' } },
        { type: 'finish', reason: 'stop', usage: { outputTokens: 1 } },
      ]).pipeThrough(anthropicMessages.encodeStream({ model: 'alias' })),
    );
    const data = payloads(wire);
    expect(data.map((d) => d.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(data[0]!.message.id).toMatch(/^msg_01[A-Za-z0-9]{22}$/);
    expect(data[4]).toEqual({
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'redacted_thinking', data: 'opaque' },
    });
  });
});

describe('round trip: recording → decode → encode → parse back', () => {
  for (const name of fixtureNames()) {
    test(name, async () => {
      const original = reassemble(await decodeBytes(byteStream([readFixture(name)])));
      const canonical = await decodeBytes(byteStream([readFixture(name)]));
      const wire = await encode(canonical, { model: 'claude-alias', id: 'msg_round' });
      const again = reassemble(await decodeBytes(byteStream([frameSse(wire)])));
      expect(again.problems).toEqual([]);
      expect(again.id).toBe('msg_round');
      expect(again.model).toBe('claude-alias');
      expect(again.blocks).toEqual(original.blocks);
      expect(again.finish).toEqual(original.finish);
    });
  }
});
