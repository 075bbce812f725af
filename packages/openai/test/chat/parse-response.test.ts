/** openaiChat.parseResponse: an upstream chat.completion body → canonical response. */

import { ProviderError } from '@tokenpak/provider';
import { expect, test } from 'vitest';
import { openaiChat } from '../../src/index.ts';

test('text, reasoning, refusal, tool calls, finish reason and usage', () => {
  const response = openaiChat.parseResponse({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'deepseek-reasoner',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: 'Calling.',
          reasoning_content: 'think',
          refusal: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
        },
        finish_reason: 'tool_calls',
      },
    ],
    usage: {
      prompt_tokens: 20,
      completion_tokens: 9,
      total_tokens: 29,
      prompt_tokens_details: { cached_tokens: 16 },
      completion_tokens_details: { reasoning_tokens: 4 },
    },
  });
  expect(response).toEqual({
    id: 'chatcmpl-1',
    model: 'deepseek-reasoner',
    content: [
      { type: 'reasoning', text: 'think' },
      { type: 'text', text: 'Calling.' },
      { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"a":1}' },
    ],
    finishReason: 'tool-calls',
    usage: { inputTokens: 20, outputTokens: 9, cacheReadTokens: 16, reasoningTokens: 4 },
  });
});

test('a refusal with content null', () => {
  const response = openaiChat.parseResponse({
    id: 'x',
    model: 'gpt-4o',
    choices: [
      { index: 0, message: { role: 'assistant', content: null, refusal: "I can't." }, finish_reason: 'stop' },
    ],
  });
  expect(response.content).toEqual([{ type: 'refusal', text: "I can't." }]);
  expect(response.usage).toEqual({});
});

test('an error body or a body without choices is an error', () => {
  expect(() => openaiChat.parseResponse({ error: { message: 'nope', type: 'server_error' } })).toThrow(
    'nope',
  );
  expect(() => openaiChat.parseResponse({ id: 'x' })).toThrow(ProviderError);
  expect(() => openaiChat.parseResponse('text')).toThrow(
    'upstream answered with a body that is not a JSON object',
  );
});

test('encodeResponse → parseResponse keeps the answer', () => {
  const canonical = {
    id: 'msg_1',
    model: 'claude',
    content: [
      { type: 'text' as const, text: 'a' },
      { type: 'refusal' as const, text: 'b' },
    ],
    finishReason: 'content-filter' as const,
    usage: { inputTokens: 3, outputTokens: 1, cacheReadTokens: 2 },
  };
  const body = openaiChat.encodeResponse(canonical, { model: 'alias' });
  expect(body).toMatchObject({
    object: 'chat.completion',
    model: 'alias',
    id: expect.stringMatching(/^chatcmpl-/),
  });
  expect(openaiChat.parseResponse(body)).toEqual({ ...canonical, id: body.id, model: 'alias' });
});
