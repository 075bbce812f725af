/**
 * The order validators must catch what they claim to catch: a well-formed stream passes, and each broken
 * variant (one rule violated) is rejected with a message naming the rule.
 */

import type { WireEvent } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { checkAnthropicWire } from './anthropic-wire-order.ts';
import { checkOpenAIWire } from './openai-wire-order.ts';

const a = (data: Record<string, unknown>): WireEvent => ({
  event: String(data.type),
  data: JSON.stringify(data),
});

const messageStart = a({
  type: 'message_start',
  message: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'alias',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 1, output_tokens: 0 },
  },
});
const textStart = (index: number) =>
  a({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
const toolStart = (index: number) =>
  a({
    type: 'content_block_start',
    index,
    content_block: { type: 'tool_use', id: 't1', name: 'f', input: {} },
  });
const textDelta = (index: number, text: string) =>
  a({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
const jsonDelta = (index: number, partial_json: string) =>
  a({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } });
const stop = (index: number) => a({ type: 'content_block_stop', index });
const messageDelta = (stop_reason: string, stop_sequence: string | null = null) =>
  a({
    type: 'message_delta',
    delta: { stop_reason, stop_sequence },
    usage: { input_tokens: 1, output_tokens: 2 },
  });
const messageStop = a({ type: 'message_stop' });
const anthropicError = a({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });

const goodAnthropic = [
  messageStart,
  textStart(0),
  textDelta(0, 'Hi'),
  stop(0),
  toolStart(1),
  jsonDelta(1, '{"a":'),
  jsonDelta(1, '1}'),
  stop(1),
  messageDelta('tool_use'),
  messageStop,
];

describe('checkAnthropicWire', () => {
  test('a well-formed stream passes and is reassembled', () => {
    const t = checkAnthropicWire(goodAnthropic, { model: 'alias' });
    expect(t.blocks).toEqual([
      { type: 'text', text: 'Hi' },
      { type: 'tool_use', id: 't1', name: 'f', input: { a: 1 } },
    ]);
    expect(t.stopReason).toBe('tool_use');
    expect(t.usage).toEqual({ input_tokens: 1, output_tokens: 2 });
  });

  test('an error may end the stream at any point', () => {
    expect(checkAnthropicWire([messageStart, textStart(0), anthropicError]).error?.type).toBe(
      'overloaded_error',
    );
    expect(checkAnthropicWire([anthropicError]).error?.message).toBe('Overloaded');
  });

  test.each<[string, WireEvent[], RegExp]>([
    ['no message_start', goodAnthropic.slice(1), /must open with message_start/],
    ['the wrong alias', goodAnthropic, /is not the alias 'other'/],
    ['interleaved blocks', [messageStart, textStart(0), toolStart(1)], /expected content_block_delta or/],
    ['a delta for another block', [messageStart, textStart(0), textDelta(1, 'x')], /interleaved/],
    ['an index gap', [messageStart, textStart(1)], /index 1, expected 0/],
    ['a second index 0', [messageStart, textStart(0), stop(0), textStart(0)], /index 0, expected 1/],
    [
      'a delta of the wrong type',
      [messageStart, textStart(0), jsonDelta(0, '{}')],
      /input_json_delta in a text/,
    ],
    [
      'message_delta while a block is open',
      [messageStart, textStart(0), messageDelta('end_turn')],
      /expected/,
    ],
    ['an undocumented stop_reason', [messageStart, messageDelta('stop')], /'stop' is not documented/],
    ['stop_sequence without its reason', [messageStart, messageDelta('end_turn', 'X')], /exactly when/],
    ['tool input that is not JSON', [messageStart, toolStart(0), jsonDelta(0, '{"a"'), stop(0)], /not JSON/],
    ['no message_stop', goodAnthropic.slice(0, -1), /before message_stop or error/],
    ['an event after message_stop', [...goodAnthropic, messageStop], /nothing may follow/],
    ['an event after an error', [messageStart, anthropicError, messageStop], /nothing may follow/],
    [
      'an SSE name that differs from the type',
      [{ event: 'message_stop', data: '{"type":"ping"}' }],
      /differs/,
    ],
    ['message_stop without message_delta', [messageStart, messageStop], /expected content_block_start or/],
  ])('rejects %s', (name, events, message) => {
    const options = name === 'the wrong alias' ? { model: 'other' } : {};
    expect(() => checkAnthropicWire(events, options)).toThrow(message);
  });
});

const envelope = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'alias' };
const o = (delta: Record<string, unknown>, finish_reason: string | null = null): WireEvent => ({
  data: JSON.stringify({ ...envelope, choices: [{ index: 0, delta, logprobs: null, finish_reason }] }),
});
const role = o({ role: 'assistant', content: '' });
const content = (text: string) => o({ content: text });
const callStart = (index: number, id = `call_${index}`) =>
  o({ tool_calls: [{ index, id, type: 'function', function: { name: 'f', arguments: '' } }] });
const callArgs = (index: number, args: string) =>
  o({ tool_calls: [{ index, function: { arguments: args } }] });
const finish = (reason: string) => o({}, reason);
const usage: WireEvent = {
  data: JSON.stringify({
    ...envelope,
    choices: [],
    usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
  }),
};
const done: WireEvent = { data: '[DONE]', sentinel: true };
const openaiError: WireEvent = {
  data: JSON.stringify({ error: { message: 'Overloaded', type: 'server_error', param: null, code: null } }),
};

const goodOpenAI = [
  role,
  content('Hi'),
  callStart(0),
  callArgs(0, '{"a":'),
  callStart(1),
  callArgs(1, '{}'),
  callArgs(0, '1}'),
  finish('tool_calls'),
  usage,
  done,
];

describe('checkOpenAIWire', () => {
  test('a well-formed stream passes and is reassembled', () => {
    const t = checkOpenAIWire(goodOpenAI, { includeUsage: true, model: 'alias' });
    expect(t.content).toBe('Hi');
    expect(t.toolCalls).toEqual([
      { index: 0, id: 'call_0', name: 'f', arguments: '{"a":1}' },
      { index: 1, id: 'call_1', name: 'f', arguments: '{}' },
    ]);
    expect(t.finishReason).toBe('tool_calls');
    expect(t.usage?.total_tokens).toBe(7);
  });

  test('without include_usage the finish is followed by [DONE] directly', () => {
    expect(
      checkOpenAIWire([role, content('x'), finish('stop'), done], { includeUsage: false }).kinds,
    ).toEqual(['role', 'content', 'finish', 'done']);
  });

  test('an error chunk may end the stream', () => {
    expect(checkOpenAIWire([role, content('x'), openaiError], { includeUsage: true }).error?.message).toBe(
      'Overloaded',
    );
  });

  const on = { includeUsage: true };
  test.each<[string, WireEvent[], RegExp, { includeUsage: boolean; model?: string }?]>([
    ['no role chunk', goodOpenAI.slice(1), /must carry role 'assistant'/],
    ['a second role chunk', [role, role], /role is sent only in the first chunk/],
    ['the wrong alias', goodOpenAI, /is not the alias 'other'/, { includeUsage: true, model: 'other' }],
    ['a tool call index gap', [role, callStart(1)], /index 1, expected 0..0/],
    ['a call started twice', [role, callStart(0), callStart(0)], /only in a call's first chunk/],
    ['a first chunk without id', [role, callArgs(0, '{}')], /first chunk has its id/],
    [
      'arguments that are not JSON at the finish',
      [role, callStart(0), callArgs(0, '{'), finish('tool_calls')],
      /not JSON/,
    ],
    ['an undocumented finish_reason', [role, finish('end_turn')], /'end_turn' is not documented/],
    ['a finish chunk with content', [role, o({ content: 'x' }, 'stop')], /empty delta/],
    ['no usage chunk when asked for', [role, finish('stop'), done], /before the finish and usage/],
    [
      'a usage chunk when not asked for',
      [role, finish('stop'), usage, done],
      /only sent after the finish, with/,
      { includeUsage: false },
    ],
    ['usage before the finish', [role, usage], /only sent after the finish/],
    ['[DONE] before the finish', [role, content('x'), done], /before the finish/],
    ['a chunk after the finish', [role, finish('stop'), content('x')], /after the finish/],
    ['an event after [DONE]', [...goodOpenAI, content('x')], /nothing may follow/],
    ['[DONE] after an error', [role, openaiError, done], /nothing may follow/],
    ['no [DONE]', goodOpenAI.slice(0, -1), /before \[DONE\] or an error/],
    [
      'an error chunk with other keys',
      [role, { data: '{"error":{"message":"x"},"id":"chatcmpl-1"}' }],
      /holds only error/,
    ],
    ['an event name', [{ event: 'message', data: role.data }], /no event names/],
    ['a [DONE] not marked as a sentinel', [role, finish('stop'), usage, { data: '[DONE]' }], /sentinel/],
    ['a changed id', [role, { data: content('x').data.replace('chatcmpl-1', 'chatcmpl-2') }], /id changed/],
  ])('rejects %s', (_name, events, message, options = on) => {
    expect(() => checkOpenAIWire(events, options)).toThrow(message);
  });
});
