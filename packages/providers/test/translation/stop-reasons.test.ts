/**
 * Stop reasons across the dialects, both ways, streamed and not: small synthetic upstream streams and
 * bodies go through the provider dialect and come out in the client's words.
 */

import { anthropicMessages } from '@tokenpak/anthropic';
import { openaiChat } from '@tokenpak/openai';
import type { FinishReason, StreamEvent, Usage } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { checkAnthropicWire } from './anthropic-wire-order.ts';
import { checkOpenAIWire } from './openai-wire-order.ts';
import { anthropicSse, chunk, encode, openaiSse, translate } from './support.ts';

const USAGE = { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 };

/** A Chat Completions stream that ends with `finishReason` (and a tool call when it is tool_calls). */
function openaiStream(finishReason: string, refusal = false): string {
  const body =
    finishReason === 'tool_calls'
      ? {
          tool_calls: [
            { index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"x":1}' } },
          ],
        }
      : refusal
        ? { refusal: 'I cannot help with that.' }
        : { content: 'Hello.' };
  return openaiSse([
    chunk({ role: 'assistant', content: null }),
    chunk(body),
    chunk({}, finishReason),
    chunk(null, null, USAGE),
  ]);
}

/** An Anthropic stream that ends with `stopReason` (and a tool_use block when it is tool_use). */
function anthropicStream(stopReason: string, stopSequence: string | null = null): string {
  const block =
    stopReason === 'tool_use'
      ? [
          {
            type: 'content_block_start',
            index: 0,
            content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} },
          },
          {
            type: 'content_block_delta',
            index: 0,
            delta: { type: 'input_json_delta', partial_json: '{"x":1}' },
          },
        ]
      : [
          { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
          { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello.' } },
        ];
  return anthropicSse([
    {
      type: 'message_start',
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude',
        content: [],
        usage: { input_tokens: 10, output_tokens: 1 },
      },
    },
    ...block,
    { type: 'content_block_stop', index: 0 },
    {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: stopSequence },
      usage: { output_tokens: 4 },
    },
    { type: 'message_stop' },
  ]);
}

describe('OpenAI finish_reason → Anthropic stop_reason', () => {
  test.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool_calls', 'tool_use'],
    ['content_filter', 'refusal'],
  ])('streamed: %s → %s', async (finish, stop) => {
    const t = checkAnthropicWire(await translate(openaiChat, anthropicMessages, openaiStream(finish)));
    expect(t.stopReason).toBe(stop);
    expect(t.stopSequence).toBeNull();
    expect(t.usage).toEqual({ input_tokens: 10, output_tokens: 4 });
  });

  test('streamed: a refusal that finishes with stop is stop_reason refusal (documented)', async () => {
    const t = checkAnthropicWire(await translate(openaiChat, anthropicMessages, openaiStream('stop', true)));
    expect(t.blocks).toEqual([{ type: 'text', text: 'I cannot help with that.' }]);
    expect(t.stopReason).toBe('refusal');
  });

  test.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool_calls', 'tool_use'],
    ['content_filter', 'refusal'],
  ])('not streamed: %s → %s', (finish, stop) => {
    const body = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'gpt-4o',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello.' }, finish_reason: finish }],
      usage: USAGE,
    };
    const out = anthropicMessages.encodeResponse(openaiChat.parseResponse(body), { model: 'alias' });
    expect(out.stop_reason).toBe(stop);
    expect(out.stop_sequence).toBeNull();
  });
});

describe('Anthropic stop_reason → OpenAI finish_reason', () => {
  test.each([
    ['end_turn', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['model_context_window_exceeded', 'length'],
  ])('streamed: %s → %s', async (stop, finish) => {
    const sequence = stop === 'stop_sequence' ? 'END' : null;
    const t = checkOpenAIWire(
      await translate(anthropicMessages, openaiChat, anthropicStream(stop, sequence)),
      {
        includeUsage: true,
      },
    );
    expect(t.finishReason).toBe(finish);
    expect(t.usage).toEqual({ prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 });
  });

  test.each([
    ['end_turn', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['stop_sequence', 'stop'],
  ])('not streamed: %s → %s', (stop, finish) => {
    const body = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude',
      content: [{ type: 'text', text: 'Hello.' }],
      stop_reason: stop,
      stop_sequence: stop === 'stop_sequence' ? 'END' : null,
      usage: { input_tokens: 10, output_tokens: 4 },
    };
    const out = openaiChat.encodeResponse(anthropicMessages.parseResponse(body), { model: 'alias' });
    expect(out.choices).toEqual([expect.objectContaining({ finish_reason: finish })]);
  });
});

describe('same dialect keeps the reason', () => {
  test.each(['stop', 'length', 'tool_calls', 'content_filter'])('OpenAI %s', async (finish) => {
    const t = checkOpenAIWire(await translate(openaiChat, openaiChat, openaiStream(finish)), {
      includeUsage: true,
    });
    expect(t.finishReason).toBe(finish);
  });

  test.each(['end_turn', 'max_tokens', 'tool_use', 'refusal', 'stop_sequence', 'pause_turn'])(
    'Anthropic %s',
    async (stop) => {
      const sequence = stop === 'stop_sequence' ? 'END' : null;
      const t = checkAnthropicWire(
        await translate(anthropicMessages, anthropicMessages, anthropicStream(stop, sequence)),
      );
      expect([t.stopReason, t.stopSequence]).toEqual([stop, sequence]);
    },
  );
});

describe('canonical reasons no wire sends in these words', () => {
  const stream = (reason: FinishReason, stopSequence?: string): StreamEvent[] => {
    const usage: Usage = { inputTokens: 3, outputTokens: 1 };
    return [
      { type: 'message-start', id: 'x', model: 'm' },
      { type: 'block-start', index: 0, block: { type: 'text' } },
      { type: 'text-delta', index: 0, text: 'Hi' },
      { type: 'block-stop', index: 0 },
      { type: 'finish', reason, usage, ...(stopSequence !== undefined && { stopSequence }) },
    ];
  };
  test.each<[FinishReason, string | undefined, string, string]>([
    ['pause', undefined, 'stop', 'pause_turn'],
    ['error', undefined, 'stop', 'end_turn'],
    ['other', undefined, 'stop', 'end_turn'],
    // The mock provider's stop sequences: the sequence travels with the reason.
    ['stop-sequence', 'END', 'stop', 'stop_sequence'],
  ])('%s → OpenAI %s, Anthropic %s', async (reason, sequence, finish, stop) => {
    const openai = checkOpenAIWire(await encode(openaiChat, stream(reason, sequence)), {
      includeUsage: true,
    });
    expect(openai.finishReason).toBe(finish);
    const anthropic = checkAnthropicWire(await encode(anthropicMessages, stream(reason, sequence)));
    expect([anthropic.stopReason, anthropic.stopSequence]).toEqual([stop, sequence ?? null]);
  });
});
