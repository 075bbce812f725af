/** openaiChat.encodeStream: canonical events → chat.completion.chunk events, and round trips through the decoder. */

import { ProviderError, type StreamEvent } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { chatFixtures, decodeWire, encodeEvents, frameSse, readFixture, summarize } from './helpers.ts';

const toolStream: StreamEvent[] = [
  { type: 'message-start', id: 'msg_1', model: 'claude-x' },
  { type: 'block-start', index: 0, block: { type: 'reasoning' } },
  { type: 'reasoning-delta', index: 0, text: 'hmm' },
  { type: 'reasoning-signature', index: 0, signature: 'sig' },
  { type: 'block-stop', index: 0 },
  { type: 'block-start', index: 1, block: { type: 'text' } },
  { type: 'text-delta', index: 1, text: 'Looking "it" up\n' },
  { type: 'block-stop', index: 1 },
  { type: 'block-start', index: 2, block: { type: 'tool-call', id: 'toolu_a', name: 'weather' } },
  { type: 'tool-call-delta', index: 2, argumentsDelta: '{"city":' },
  { type: 'tool-call-delta', index: 2, argumentsDelta: '"Oslo"}' },
  { type: 'block-stop', index: 2 },
  { type: 'block-start', index: 3, block: { type: 'tool-call', id: 'toolu_b', name: 'time' } },
  { type: 'tool-call-delta', index: 3, argumentsDelta: '{}' },
  { type: 'block-stop', index: 3 },
  { type: 'usage', usage: { inputTokens: 10, cacheReadTokens: 4 } },
  { type: 'finish', reason: 'tool-calls', usage: { inputTokens: 10, outputTokens: 7, cacheReadTokens: 4 } },
];

describe('chunk shapes', () => {
  test('role chunk, deltas, tool calls numbered from 0, finish chunk, usage chunk, [DONE]', async () => {
    const wire = await encodeEvents(toolStream, { model: 'alias', id: 'chatcmpl-test', includeUsage: true });
    expect(wire.at(-1)).toEqual({ data: '[DONE]', sentinel: true });
    expect(wire.every((event) => event.event === undefined)).toBe(true);
    const chunks = wire.slice(0, -1).map((event) => JSON.parse(event.data));
    const created = chunks[0].created;
    expect(created).toBeTypeOf('number');
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({
        id: 'chatcmpl-test',
        object: 'chat.completion.chunk',
        created,
        model: 'alias',
      });
    }
    expect(chunks.map((chunk) => chunk.choices)).toMatchInlineSnapshot(`
      [
        [
          {
            "delta": {
              "content": "",
              "role": "assistant",
            },
            "finish_reason": null,
            "index": 0,
            "logprobs": null,
          },
        ],
        [
          {
            "delta": {
              "reasoning_content": "hmm",
            },
            "finish_reason": null,
            "index": 0,
            "logprobs": null,
          },
        ],
        [
          {
            "delta": {
              "content": "Looking "it" up
      ",
            },
            "finish_reason": null,
            "index": 0,
            "logprobs": null,
          },
        ],
        [
          {
            "delta": {
              "tool_calls": [
                {
                  "function": {
                    "arguments": "",
                    "name": "weather",
                  },
                  "id": "toolu_a",
                  "index": 0,
                  "type": "function",
                },
              ],
            },
            "finish_reason": null,
            "index": 0,
            "logprobs": null,
          },
        ],
        [
          {
            "delta": {
              "tool_calls": [
                {
                  "function": {
                    "arguments": "{"city":",
                  },
                  "index": 0,
                },
              ],
            },
            "finish_reason": null,
            "index": 0,
            "logprobs": null,
          },
        ],
        [
          {
            "delta": {
              "tool_calls": [
                {
                  "function": {
                    "arguments": ""Oslo"}",
                  },
                  "index": 0,
                },
              ],
            },
            "finish_reason": null,
            "index": 0,
            "logprobs": null,
          },
        ],
        [
          {
            "delta": {
              "tool_calls": [
                {
                  "function": {
                    "arguments": "",
                    "name": "time",
                  },
                  "id": "toolu_b",
                  "index": 1,
                  "type": "function",
                },
              ],
            },
            "finish_reason": null,
            "index": 0,
            "logprobs": null,
          },
        ],
        [
          {
            "delta": {
              "tool_calls": [
                {
                  "function": {
                    "arguments": "{}",
                  },
                  "index": 1,
                },
              ],
            },
            "finish_reason": null,
            "index": 0,
            "logprobs": null,
          },
        ],
        [
          {
            "delta": {},
            "finish_reason": "tool_calls",
            "index": 0,
            "logprobs": null,
          },
        ],
        [],
      ]
    `);
    expect(chunks.at(-1).usage).toEqual({
      prompt_tokens: 10,
      completion_tokens: 7,
      total_tokens: 17,
      prompt_tokens_details: { cached_tokens: 4 },
    });
  });

  test('no usage chunk unless the client asked for it; a fresh chatcmpl id when none is given', async () => {
    const wire = await encodeEvents(toolStream, { model: 'alias' });
    const chunks = wire.slice(0, -1).map((event) => JSON.parse(event.data));
    expect(chunks.some((chunk) => 'usage' in chunk)).toBe(false);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('tool_calls');
    expect(chunks[0].id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  });

  test('a refusal block streams as delta.refusal', async () => {
    const wire = await encodeEvents(
      [
        { type: 'message-start', id: 'm', model: 'x' },
        { type: 'block-start', index: 0, block: { type: 'refusal' } },
        { type: 'text-delta', index: 0, text: 'No.' },
        { type: 'block-stop', index: 0 },
        { type: 'finish', reason: 'refusal', usage: {} },
      ],
      { model: 'alias' },
    );
    const deltas = wire.slice(0, -1).map((event) => JSON.parse(event.data).choices[0]);
    expect(deltas[1].delta).toEqual({ refusal: 'No.' });
    expect(deltas[2].finish_reason).toBe('content_filter');
  });

  test('canonical finish reasons map to OpenAI words', async () => {
    const words: Record<string, string> = {
      stop: 'stop',
      'stop-sequence': 'stop',
      length: 'length',
      'tool-calls': 'tool_calls',
      'content-filter': 'content_filter',
      refusal: 'content_filter',
      pause: 'stop',
      other: 'stop',
    };
    for (const [reason, word] of Object.entries(words)) {
      const wire = await encodeEvents([{ type: 'finish', reason: reason as 'stop', usage: {} }], {
        model: 'a',
      });
      expect(JSON.parse(wire[1]!.data).choices[0].finish_reason).toBe(word);
    }
  });

  test('an error mid-stream is an error chunk, with no finish and no [DONE] after it', async () => {
    const error = new ProviderError({ type: 'overloaded', message: 'Overloaded', code: 'overloaded_error' });
    const wire = await encodeEvents(
      [
        { type: 'message-start', id: 'm', model: 'x' },
        { type: 'block-start', index: 0, block: { type: 'text' } },
        { type: 'text-delta', index: 0, text: 'Hi' },
        { type: 'error', error },
        { type: 'finish', reason: 'stop', usage: {} },
      ],
      { model: 'alias', includeUsage: true },
    );
    expect(wire).toHaveLength(3);
    expect(JSON.parse(wire[2]!.data)).toEqual({
      error: { message: 'Overloaded', type: 'server_error', param: null, code: 'overloaded_error' },
    });
  });

  test('a canonical stream that stops without finish or error still ends with an error chunk', async () => {
    const wire = await encodeEvents([{ type: 'message-start', id: 'm', model: 'x' }], { model: 'alias' });
    expect(JSON.parse(wire.at(-1)!.data).error.type).toBe('server_error');
    expect(wire.some((event) => event.data === '[DONE]')).toBe(false);
  });
});

describe.each(chatFixtures)('round trip of %s', (name) => {
  test('decode → encode → decode keeps text, refusal, reasoning, tool calls, finish, usage and errors', async () => {
    const first = await decodeWire(readFixture(name));
    const wire = await encodeEvents(first, { model: 'alias', includeUsage: true });
    const again = summarize(await decodeWire(frameSse(wire)));
    const before = summarize(first);
    expect(again.model).toBe('alias');
    expect(again.text).toBe(before.text);
    expect(again.refusal).toBe(before.refusal);
    expect(again.reasoning).toBe(before.reasoning);
    expect(again.toolCalls).toEqual(before.toolCalls);
    expect(again.finish?.reason).toBe(before.finish?.reason);
    if (before.finish) {
      // Missing counts are sent as 0 (OpenAI always has prompt and completion tokens).
      expect(again.finish?.usage).toEqual({ inputTokens: 0, outputTokens: 0, ...before.finish.usage });
    }
    expect(again.error?.message).toBe(before.error?.message);
    expect(again.error?.code).toBe(before.error?.code);
    expect(again.error?.type).toBe(before.error?.type);
  });
});

test('a tool call that got no argument text is sent `{}` when its block stops', async () => {
  const wire = await encodeEvents(
    [
      { type: 'message-start', id: 'm', model: 'x', usage: { inputTokens: 8 } },
      { type: 'block-start', index: 0, block: { type: 'tool-call', id: 'toolu_1', name: 'now' } },
      { type: 'block-stop', index: 0 },
      { type: 'finish', reason: 'tool-calls', usage: { outputTokens: 3 } },
    ],
    { model: 'alias', includeUsage: true },
  );
  const summary = summarize(await decodeWire(frameSse(wire)));
  expect(summary.toolCalls).toEqual([{ id: 'toolu_1', name: 'now', arguments: '{}' }]);
  expect(summary.finish?.usage).toEqual({ inputTokens: 8, outputTokens: 3 });
});
