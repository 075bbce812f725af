/**
 * Every recorded Chat Completions stream, through parseSse → openaiChat.decodeStream(): in one piece,
 * one byte per network chunk, and with CRLF line ends. The figures below were read from the recordings.
 */

import type { FinishReason, Usage } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { chatFixtures, decodeWire, readFixture, summarize } from './helpers.ts';

interface Expected {
  id: string;
  model: string;
  text?: string;
  refusal?: string;
  reasoning?: string;
  tools?: Array<{ name: string; args: unknown }>;
  finish?: FinishReason;
  usage?: Usage;
  error?: { type: string; code: string; message: RegExp };
}

const expected: Record<string, Expected> = {
  'openai/chat-azure-content-filter-results.sse': {
    id: 'chatcmpl-D0xlcDvxBE8sfHG0Q8B84MZtlYbab',
    model: 'gpt-4o-mini-2024-07-18',
    text: 'Hello! How can I assist you today?',
    finish: 'stop',
    usage: { inputTokens: 9, outputTokens: 10, cacheReadTokens: 0, reasoningTokens: 0 },
  },
  'openai/chat-azure-reasoning-model-router.sse': {
    id: 'chatcmpl-CYPS1lijGoK8gd9lYzY3r9Sx50nbt',
    model: 'gpt-5-nano-2025-08-07',
    text: 'Capital of Denmark.',
    finish: 'stop',
    usage: { inputTokens: 15, outputTokens: 78, cacheReadTokens: 0, reasoningTokens: 64 },
  },
  'openai/chat-finish-length.sse': {
    id: 'chatcmpl-ABfw3Oqj8RD0z6aJiiX37oTjV2HFh',
    model: 'gpt-4o-2024-08-06',
    text: '{"',
    finish: 'length',
    usage: { inputTokens: 79, outputTokens: 1, reasoningTokens: 0 },
  },
  'openai/chat-gpt5-moderation-trailing-chunk.sse': {
    id: 'chatcmpl-E4Rjs6IxaJVge9Ntk5keJsaeDy6vS',
    model: 'gpt-5-2025-08-07',
    text: 'Paris.',
    finish: 'stop',
    usage: { inputTokens: 13, outputTokens: 11, cacheReadTokens: 0, reasoningTokens: 0 },
  },
  'openai/chat-logprobs.sse': {
    id: 'chatcmpl-ABfw5EzoqmfXjnnsXY7Yd8OC6tb3c',
    model: 'gpt-4o-2024-08-06',
    text: 'Foo!',
    finish: 'stop',
    usage: { inputTokens: 9, outputTokens: 2, reasoningTokens: 0 },
  },
  // n=3: only choice 0 is decoded (n > 1 is served by forwarding bytes; see decode-stream.ts).
  'openai/chat-n3-multiple-choices.sse': {
    id: 'chatcmpl-ABfw2KKFuVXmEJgVwYfBvejMAdWtq',
    model: 'gpt-4o-2024-08-06',
    text: '{"city":"San Francisco","temperature":65,"units":"f"}',
    finish: 'stop',
    usage: { inputTokens: 79, outputTokens: 42, reasoningTokens: 0 },
  },
  'openai/chat-refusal.sse': {
    id: 'chatcmpl-ABfw4IfQfCCrcuybFm41wJyxjbkz7',
    model: 'gpt-4o-2024-08-06',
    refusal: "I'm sorry, I can't assist with that request.",
    finish: 'stop',
    usage: { inputTokens: 79, outputTokens: 11, reasoningTokens: 0 },
  },
  'openai/chat-text-include-usage.sse': {
    id: 'chatcmpl-Dx0Xq5Xx9rHB2ehcHZCRDsnuymUXc',
    model: 'gpt-4o-mini-2024-07-18',
    text: 'The capital of the UK is London.',
    finish: 'stop',
    usage: { inputTokens: 78, outputTokens: 9, cacheReadTokens: 0, reasoningTokens: 0 },
  },
  'openai/chat-text-no-usage.sse': {
    id: 'chatcmpl-B74aE2TDl9ZbKx2fXoVatoMDnErNm',
    model: 'gpt-3.5-turbo-0125',
    text: "Why couldn't the bicycle stand up by itself? Because it was two-tired!",
    finish: 'stop',
    usage: {},
  },
  'openai/chat-tool-call.sse': {
    id: 'chatcmpl-Dx0XpqH8w09uBXwq1zFGYdETjtnEl',
    model: 'gpt-4o-mini-2024-07-18',
    tools: [{ name: 'get_capital', args: { country: 'UK' } }],
    finish: 'tool-calls',
    usage: { inputTokens: 53, outputTokens: 15, cacheReadTokens: 0, reasoningTokens: 0 },
  },
  'openai/chat-tool-calls-parallel.sse': {
    id: 'chatcmpl-ABfwAwrNePHUgBBezonVC6MX3zd63',
    model: 'gpt-4o-2024-08-06',
    tools: [
      { name: 'GetWeatherArgs', args: { city: 'Edinburgh', country: 'GB', units: 'c' } },
      { name: 'get_stock_price', args: { ticker: 'AAPL', exchange: 'NASDAQ' } },
    ],
    finish: 'tool-calls',
    usage: { inputTokens: 149, outputTokens: 60, reasoningTokens: 0 },
  },
  'openai-compatible/deepseek-reasoning-content.sse': {
    id: '33be18fc-3842-486c-8c29-dd8e578f7f20',
    model: 'deepseek-reasoner',
    reasoning: 'Hmm, the user just said "Hello". It\'s and that\'s okay too.',
    text: 'Hello there! 😊 How can I help you today?',
    finish: 'stop',
    usage: { inputTokens: 6, outputTokens: 212, cacheReadTokens: 0, reasoningTokens: 198 },
  },
  'openai-compatible/groq-midstream-error-event.sse': {
    id: 'chatcmpl-4f39f3af-3267-4ac1-a0cf-6aa7451877dc',
    model: 'openai/gpt-oss-120b',
    reasoning: 'We need to call the tool with invalid parameters first, thentest". Let\'s do that.',
    error: {
      type: 'invalid_request',
      code: 'tool_use_failed',
      message: /^Tool call validation failed: .*invalid_param/,
    },
  },
};

test('every Chat Completions recording has expectations', () => {
  expect(chatFixtures.length).toBeGreaterThanOrEqual(13);
  expect(Object.keys(expected).sort()).toEqual(chatFixtures);
});

describe.each(chatFixtures)('%s', (name) => {
  const wire = readFixture(name);
  const want = expected[name]!;

  test('decodes to the recorded answer', async () => {
    const summary = summarize(await decodeWire(wire));
    expect(summary.id).toBe(want.id);
    expect(summary.model).toBe(want.model);
    expect(summary.text).toBe(want.text ?? '');
    expect(summary.refusal).toBe(want.refusal ?? '');
    expect(summary.reasoning).toBe(want.reasoning ?? '');
    expect(summary.toolCalls.map((call) => ({ name: call.name, args: JSON.parse(call.arguments) }))).toEqual(
      want.tools ?? [],
    );
    for (const call of summary.toolCalls) expect(call.id).toMatch(/^call_\w+$/);
    if (want.error) {
      expect(summary.finish).toBeUndefined();
      expect(summary.error?.type).toBe(want.error.type);
      expect(summary.error?.code).toBe(want.error.code);
      expect(summary.error?.message).toMatch(want.error.message);
    } else {
      expect(summary.error).toBeUndefined();
      expect(summary.finish?.reason).toBe(want.finish);
      expect(summary.finish?.usage).toEqual(want.usage);
    }
  });

  test('gives the same events one byte per chunk and with CRLF line ends', async () => {
    const whole = await decodeWire(wire, 'whole');
    expect(await decodeWire(wire, 'bytes')).toEqual(whole);
    expect(await decodeWire(wire, 'crlf')).toEqual(whole);
  });
});
