/** Canonical streams the encoder tests and the SDK tests share. */
import { ProviderError, type StreamEvent } from '@tokenpak/provider';

const start: StreamEvent = { type: 'message-start', id: 'upstream-1', model: 'upstream-model' };

export const textStream: StreamEvent[] = [
  start,
  { type: 'block-start', index: 0, block: { type: 'text' } },
  { type: 'text-delta', index: 0, text: 'Hello' },
  { type: 'text-delta', index: 0, text: ', world.' },
  { type: 'block-stop', index: 0 },
  { type: 'usage', usage: { inputTokens: 12, cacheReadTokens: 4 } },
  { type: 'finish', reason: 'stop', usage: { inputTokens: 12, outputTokens: 5, cacheReadTokens: 4 } },
];

/** Two calls open at once with interleaved argument fragments, as the Chat Completions decoder emits them. */
export const parallelToolStream: StreamEvent[] = [
  start,
  { type: 'block-start', index: 0, block: { type: 'text' } },
  { type: 'text-delta', index: 0, text: 'Checking both.' },
  { type: 'block-stop', index: 0 },
  { type: 'block-start', index: 1, block: { type: 'tool-call', id: 'call_a', name: 'get_weather' } },
  { type: 'block-start', index: 2, block: { type: 'tool-call', id: 'call_b', name: 'get_time' } },
  { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":' },
  { type: 'tool-call-delta', index: 2, argumentsDelta: '{"tz":"CET"}' },
  { type: 'tool-call-delta', index: 1, argumentsDelta: '"Paris"}' },
  { type: 'block-stop', index: 1 },
  { type: 'block-stop', index: 2 },
  { type: 'finish', reason: 'tool-calls', usage: { inputTokens: 30, outputTokens: 20 } },
];

/** Anthropic-style: signed thinking, text, then a tool call without input. */
export const reasoningStream: StreamEvent[] = [
  start,
  { type: 'block-start', index: 0, block: { type: 'reasoning' } },
  { type: 'reasoning-delta', index: 0, text: 'The user wants ' },
  { type: 'reasoning-delta', index: 0, text: 'the time.' },
  { type: 'reasoning-signature', index: 0, signature: 'sig-123' },
  { type: 'block-stop', index: 0 },
  { type: 'block-start', index: 1, block: { type: 'text' } },
  { type: 'text-delta', index: 1, text: 'Let me look.' },
  { type: 'block-stop', index: 1 },
  { type: 'block-start', index: 2, block: { type: 'tool-call', id: 'toolu_1', name: 'now' } },
  { type: 'block-stop', index: 2 },
  { type: 'finish', reason: 'tool-calls', usage: { inputTokens: 40, outputTokens: 25, reasoningTokens: 10 } },
];

export const refusalStream: StreamEvent[] = [
  start,
  { type: 'block-start', index: 0, block: { type: 'refusal' } },
  { type: 'text-delta', index: 0, text: "I can't help with that." },
  { type: 'block-stop', index: 0 },
  { type: 'finish', reason: 'stop', usage: { inputTokens: 8, outputTokens: 6 } },
];

export const lengthStream: StreamEvent[] = [
  start,
  { type: 'block-start', index: 0, block: { type: 'text' } },
  { type: 'text-delta', index: 0, text: 'Once upon' },
  { type: 'finish', reason: 'length', usage: { inputTokens: 5, outputTokens: 2 } },
];

export const errorStream: StreamEvent[] = [
  start,
  { type: 'block-start', index: 0, block: { type: 'text' } },
  { type: 'text-delta', index: 0, text: 'Partial' },
  {
    type: 'error',
    error: new ProviderError({
      type: 'invalid_request',
      message: 'prompt is too long: 210000 tokens > 200000 maximum',
    }),
  },
];
