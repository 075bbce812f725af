/** openaiChat.buildRequest: canonical request → the upstream Chat Completions body. */

import type { CanonicalRequest } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { openaiChat } from '../../src/index.ts';

const options = { model: 'gpt-4o-2024-08-06', stream: true, defaultMaxTokens: 4096 };

/** A request as the anthropic-messages dialect would hand it over. */
const fromAnthropic: CanonicalRequest = {
  model: 'claude-opus',
  sourceDialect: 'anthropic-messages',
  system: 'Be brief.',
  stream: true,
  maxTokens: 1024,
  temperature: 0.5,
  topK: 40,
  stopSequences: ['a', 'b', 'c', 'd', 'e'],
  userId: 'u-1',
  reasoning: { budgetTokens: 2048 },
  toolChoice: { type: 'required' },
  parallelToolCalls: false,
  tools: [{ name: 'weather', description: 'Weather', inputSchema: { type: 'object', properties: {} } }],
  passthrough: { container: 'c-1' },
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'Weather in Oslo?' }] },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', text: 'call it', signature: 'sig' },
        { type: 'redacted-thinking', data: 'xx' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool-call', id: 'toolu_1', name: 'weather', arguments: '{"city":"Oslo"}' },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Here you go' },
        {
          type: 'tool-result',
          toolCallId: 'toolu_1',
          isError: true,
          content: [
            { type: 'text', text: 'Sunny' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
          ],
        },
      ],
    },
  ],
};

test('a request from another dialect, field by field, with every dropped thing warned about', () => {
  const warnings: string[] = [];
  const body = openaiChat.buildRequest(fromAnthropic, options, warnings);
  expect(body).toMatchInlineSnapshot(`
    {
      "max_tokens": 1024,
      "messages": [
        {
          "content": "Be brief.",
          "role": "system",
        },
        {
          "content": "Weather in Oslo?",
          "role": "user",
        },
        {
          "content": "Checking.",
          "role": "assistant",
          "tool_calls": [
            {
              "function": {
                "arguments": "{"city":"Oslo"}",
                "name": "weather",
              },
              "id": "toolu_1",
              "type": "function",
            },
          ],
        },
        {
          "content": "Sunny",
          "role": "tool",
          "tool_call_id": "toolu_1",
        },
        {
          "content": [
            {
              "image_url": {
                "url": "data:image/png;base64,AAAA",
              },
              "type": "image_url",
            },
            {
              "text": "Here you go",
              "type": "text",
            },
          ],
          "role": "user",
        },
      ],
      "model": "gpt-4o-2024-08-06",
      "parallel_tool_calls": false,
      "reasoning_effort": "medium",
      "stop": [
        "a",
        "b",
        "c",
        "d",
      ],
      "stream": true,
      "stream_options": {
        "include_usage": true,
      },
      "temperature": 0.5,
      "tool_choice": "required",
      "tools": [
        {
          "function": {
            "description": "Weather",
            "name": "weather",
            "parameters": {
              "properties": {},
              "type": "object",
            },
          },
          "type": "function",
        },
      ],
      "user": "u-1",
    }
  `);
  expect(warnings).toMatchInlineSnapshot(`
    [
      "thinking parts of assistant messages are dropped: OpenAI cannot take them back",
      "redacted-thinking parts of assistant messages are dropped: OpenAI cannot take them back",
      "a tool result marked as an error is sent as a plain tool message",
      "images in tool results are sent in a user message after the tool messages",
      "top_k is dropped: OpenAI has no such parameter",
      "only the first 4 stop sequences are sent: OpenAI accepts no more",
      "the reasoning budget of 2048 tokens is sent as reasoning_effort 'medium'",
      "dropped (no OpenAI equivalent): container",
    ]
  `);
});

describe('same dialect', () => {
  const client = {
    model: 'alias',
    stream: true,
    stream_options: { include_usage: false, include_obfuscation: false },
    messages: [
      { role: 'developer', content: 'Rules.' },
      { role: 'user', content: 'hi' },
      {
        role: 'assistant',
        content: null,
        reasoning_content: 'r',
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'done' },
    ],
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' }, strict: true } }],
    tool_choice: 'auto',
    max_completion_tokens: 100,
    reasoning_effort: 'minimal',
    n: 2,
    seed: 1,
    response_format: { type: 'json_object' },
  };

  test('parse then build gives the client body back, with the upstream model and include_usage forced on', () => {
    const { request } = openaiChat.parseRequest(client);
    const warnings: string[] = [];
    const body = openaiChat.buildRequest(request, { ...options, model: 'gpt-5' }, warnings);
    expect(warnings).toEqual([]);
    expect(body).toEqual({
      model: 'gpt-5',
      messages: [
        { role: 'developer', content: 'Rules.' },
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: null,
          reasoning_content: 'r',
          tool_calls: client.messages[2]!.tool_calls,
        },
        { role: 'tool', tool_call_id: 'c1', content: 'done' },
      ],
      tools: client.tools,
      tool_choice: 'auto',
      max_completion_tokens: 100,
      reasoning_effort: 'minimal',
      n: 2,
      seed: 1,
      response_format: { type: 'json_object' },
      stream: true,
      stream_options: { include_obfuscation: false, include_usage: true },
    });
  });

  test('max_tokens stays max_tokens; a non-streamed call sends stream: false and no stream_options', () => {
    const { request } = openaiChat.parseRequest({
      model: 'a',
      messages: [{ role: 'user', content: 'x' }],
      max_tokens: 5,
    });
    const body = openaiChat.buildRequest(request, { ...options, stream: false });
    expect(body).toEqual({
      model: options.model,
      messages: [{ role: 'user', content: 'x' }],
      max_tokens: 5,
      stream: false,
    });
  });

  test('a named tool choice maps back to the function form', () => {
    const { request } = openaiChat.parseRequest({
      model: 'a',
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ type: 'function', function: { name: 'f' } }],
      tool_choice: { type: 'function', function: { name: 'f' } },
    });
    expect(openaiChat.buildRequest(request, options).tool_choice).toEqual({
      type: 'function',
      function: { name: 'f' },
    });
  });
});

test('parallel_tool_calls without tools is dropped (OpenAI refuses it)', () => {
  const warnings: string[] = [];
  const body = openaiChat.buildRequest(
    {
      ...fromAnthropic,
      tools: undefined,
      toolChoice: undefined,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }],
    },
    options,
    warnings,
  );
  expect(body).not.toHaveProperty('parallel_tool_calls');
  expect(warnings).toContain('parallel_tool_calls is dropped: OpenAI accepts it only with tools');
});

describe('tool_choice without tools is left out (OpenAI refuses it)', () => {
  const noTools = (
    toolChoice: CanonicalRequest['toolChoice'],
    sourceDialect: CanonicalRequest['sourceDialect'],
  ) => {
    const warnings: string[] = [];
    const body = openaiChat.buildRequest(
      {
        model: 'm',
        sourceDialect,
        stream: true,
        passthrough: {},
        toolChoice,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }],
      },
      options,
      warnings,
    );
    return { body, warnings };
  };

  test.each([
    ['auto', { type: 'auto' }],
    ['none', { type: 'none' }],
  ] as const)('%s: dropped without a warning (it means what no tool_choice means)', (_, choice) => {
    for (const source of ['anthropic-messages', 'openai-chat'] as const) {
      const { body, warnings } = noTools(choice, source);
      expect(body).not.toHaveProperty('tool_choice');
      expect(body).not.toHaveProperty('tools');
      expect(warnings).toEqual([]);
    }
  });

  test.each([
    ['required', { type: 'required' }],
    ['a named tool', { type: 'tool', name: 'weather' }],
  ] as const)('%s: dropped with a warning', (_, choice) => {
    const { body, warnings } = noTools(choice, 'anthropic-messages');
    expect(body).not.toHaveProperty('tool_choice');
    expect(warnings).toEqual(['tool_choice is dropped: OpenAI accepts it only with tools']);
  });

  test('with tools it is still sent', () => {
    expect(openaiChat.buildRequest(fromAnthropic, options).tool_choice).toBe('required');
  });
});
