/**
 * Client body → parseRequest (client dialect) → buildRequest (provider dialect) → upstream body, in all
 * four pairs. Each upstream body is compared whole, and the warnings name everything that was dropped.
 */

import { anthropicMessages } from '@tokenpak/anthropic';
import { openaiChat } from '@tokenpak/openai';
import { type Dialect, ProviderError } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';

function translateRequest(client: Dialect, provider: Dialect, body: unknown, model: string) {
  const { request, warnings } = client.parseRequest(body);
  const upstream = provider.buildRequest(
    request,
    { model, stream: request.stream, defaultMaxTokens: 4096 },
    warnings,
  );
  return { request, upstream, warnings };
}

const WEATHER_SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['C', 'F'] } },
  required: ['city'],
};
const IMAGE_DATA = 'iVBORw0KGgoAAAANSUhEUg==';

/** An Anthropic client's body with everything the Messages API lets a conversation hold. */
const anthropicBody = {
  model: 'claude-alias',
  max_tokens: 4096,
  system: [
    { type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } },
    { type: 'text', text: 'Use the tools.' },
  ],
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Weather in Paris and London? Map attached.' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: IMAGE_DATA } },
        {
          type: 'document',
          source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0x' },
          title: 'brief.pdf',
          citations: { enabled: true },
        },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Two cities: two calls.', signature: 'sig-abc' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'text', text: 'Checking both.' },
        { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'toolu_02', name: 'get_weather', input: { city: 'London', unit: 'C' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_01', content: '18°C, sunny' },
        {
          type: 'tool_result',
          tool_use_id: 'toolu_02',
          content: [{ type: 'text', text: 'station offline' }],
          is_error: true,
        },
        { type: 'text', text: 'Which is warmer?' },
      ],
    },
  ],
  tools: [{ name: 'get_weather', description: 'Current weather for a city', input_schema: WEATHER_SCHEMA }],
  tool_choice: { type: 'auto', disable_parallel_tool_use: false },
  thinking: { type: 'enabled', budget_tokens: 2048 },
  temperature: 1,
  top_p: 0.95,
  stop_sequences: ['END'],
  metadata: { user_id: 'user-42' },
  service_tier: 'auto',
  stream: true,
};

/** An OpenAI client's body with the same conversation in Chat Completions form. */
const openaiBody = {
  model: 'gpt-alias',
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'developer', content: 'Use the tools.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Weather in Paris and London? Map attached.' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${IMAGE_DATA}` } },
        { type: 'image_url', image_url: { url: 'https://example.com/map.png' } },
      ],
    },
    {
      role: 'assistant',
      content: 'Checking both.',
      reasoning_content: 'Two cities: two calls.',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        {
          id: 'call_2',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"London","unit":"C"}' },
        },
      ],
    },
    { role: 'tool', tool_call_id: 'call_1', content: '18°C, sunny' },
    { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '12°C, rain' }] },
    { role: 'user', content: 'Which is warmer?' },
  ],
  tools: [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Current weather for a city',
        parameters: WEATHER_SCHEMA,
      },
    },
  ],
  tool_choice: 'auto',
  parallel_tool_calls: true,
  max_completion_tokens: 1024,
  temperature: 0.5,
  top_p: 0.9,
  stop: ['END', 'STOP'],
  user: 'user-42',
  stream: true,
  stream_options: { include_usage: true },
};

describe('Anthropic client → OpenAI provider', () => {
  test('the rich body, field by field, with every drop warned about', () => {
    const { upstream, warnings } = translateRequest(anthropicMessages, openaiChat, anthropicBody, 'gpt-4o');
    expect(upstream).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You are terse.\n\nUse the tools.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Paris and London? Map attached.' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${IMAGE_DATA}` } },
            {
              type: 'file',
              file: { filename: 'document.pdf', file_data: 'data:application/pdf;base64,JVBERi0x' },
            },
          ],
        },
        {
          role: 'assistant',
          content: 'Checking both.',
          tool_calls: [
            {
              id: 'toolu_01',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
            {
              id: 'toolu_02',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"London","unit":"C"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_01', content: '18°C, sunny' },
        { role: 'tool', tool_call_id: 'toolu_02', content: 'station offline' },
        { role: 'user', content: 'Which is warmer?' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather for a city',
            parameters: WEATHER_SCHEMA,
          },
        },
      ],
      parallel_tool_calls: true,
      tool_choice: 'auto',
      max_tokens: 4096,
      temperature: 1,
      top_p: 0.95,
      stop: ['END'],
      user: 'user-42',
      reasoning_effort: 'medium',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(warnings).toEqual([
      "a document's title is dropped: OpenAI files have none",
      'thinking parts of assistant messages are dropped: OpenAI cannot take them back',
      'redacted-thinking parts of assistant messages are dropped: OpenAI cannot take them back',
      'a tool result marked as an error is sent as a plain tool message',
      "the reasoning budget of 2048 tokens is sent as reasoning_effort 'medium'",
      'dropped (no OpenAI equivalent): service_tier',
    ]);
  });

  test('top_k and metadata keys beyond user_id are dropped with a warning', () => {
    const body = {
      model: 'claude-alias',
      max_tokens: 100,
      top_k: 40,
      metadata: { user_id: 'u-7', trace: 'abc' },
      messages: [{ role: 'user', content: 'hi' }],
    };
    const { upstream, warnings } = translateRequest(anthropicMessages, openaiChat, body, 'gpt-4o');
    expect(upstream).toEqual({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 100,
      user: 'u-7',
      stream: false,
    });
    expect(warnings).toEqual([
      'top_k is dropped: OpenAI has no such parameter',
      'dropped (no OpenAI equivalent): metadata',
    ]);
  });

  test.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['auto', { type: 'auto' }, { tool_choice: 'auto' }],
    ['any', { type: 'any' }, { tool_choice: 'required' }],
    ['none', { type: 'none' }, { tool_choice: 'none' }],
    [
      'tool',
      { type: 'tool', name: 'get_weather' },
      { tool_choice: { type: 'function', function: { name: 'get_weather' } } },
    ],
    [
      'any without parallel use',
      { type: 'any', disable_parallel_tool_use: true },
      { tool_choice: 'required', parallel_tool_calls: false },
    ],
  ])('tool_choice %s', (_name, choice, expected) => {
    const body = {
      model: 'claude-alias',
      messages: [{ role: 'user', content: 'hi' }],
      tools: anthropicBody.tools,
      tool_choice: choice,
    };
    const { upstream, warnings } = translateRequest(anthropicMessages, openaiChat, body, 'gpt-4o');
    const { tools: _tools, messages: _messages, model: _model, stream: _stream, ...rest } = upstream;
    expect(rest).toEqual(expected);
    expect(warnings).toEqual([]);
  });
});

describe('OpenAI client → Anthropic provider', () => {
  test('the rich body, field by field, with every drop warned about', () => {
    const { upstream, warnings } = translateRequest(
      openaiChat,
      anthropicMessages,
      openaiBody,
      'claude-sonnet-4-5',
    );
    expect(upstream).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      system: 'You are terse.\n\nUse the tools.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Paris and London? Map attached.' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: IMAGE_DATA } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/map.png' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking both.' },
            { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'call_2', name: 'get_weather', input: { city: 'London', unit: 'C' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_1', content: '18°C, sunny' },
            { type: 'tool_result', tool_use_id: 'call_2', content: '12°C, rain' },
            { type: 'text', text: 'Which is warmer?' },
          ],
        },
      ],
      tools: [
        { name: 'get_weather', description: 'Current weather for a city', input_schema: WEATHER_SCHEMA },
      ],
      tool_choice: { type: 'auto' },
      temperature: 0.5,
      top_p: 0.9,
      stop_sequences: ['END', 'STOP'],
      metadata: { user_id: 'user-42' },
      stream: true,
    });
    expect(warnings).toEqual(['reasoning without an Anthropic signature was left out of the history']);
  });

  test('OpenAI-only fields are dropped, each named (json_object too: Anthropic takes a schema only)', () => {
    const body = {
      model: 'gpt-alias',
      messages: [{ role: 'user', content: 'hi' }],
      seed: 7,
      response_format: { type: 'json_object' },
      frequency_penalty: 0.5,
      metadata: { run: 'r1' },
    };
    const { upstream, warnings } = translateRequest(openaiChat, anthropicMessages, body, 'claude-sonnet-4-5');
    expect(upstream).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      stream: false,
    });
    expect(warnings).toEqual([
      'response_format json_object is dropped: Anthropic takes a JSON schema only (the prompt still asks for JSON)',
      'seed has no Anthropic equivalent; dropped',
      'frequency_penalty has no Anthropic equivalent; dropped',
      'metadata has no Anthropic equivalent; dropped',
    ]);
  });

  test('a strict tool schema cannot be asked of Anthropic: the tool is sent, the flag is dropped with a warning', () => {
    const body = {
      model: 'gpt-alias',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [
        { type: 'function', function: { name: 'get_weather', parameters: WEATHER_SCHEMA, strict: true } },
      ],
    };
    const { upstream, warnings } = translateRequest(openaiChat, anthropicMessages, body, 'claude-sonnet-4-5');
    expect(upstream.tools).toEqual([{ name: 'get_weather', input_schema: WEATHER_SCHEMA }]);
    expect(warnings).toEqual([
      'tools[].strict is dropped: Anthropic is not asked to follow tool schemas strictly',
    ]);
  });

  test('reasoning_effort becomes a thinking budget; sampling Anthropic refuses with thinking is dropped', () => {
    const body = {
      model: 'gpt-alias',
      messages: [{ role: 'user', content: 'Prove it.' }],
      reasoning_effort: 'medium',
      max_completion_tokens: 8000,
      temperature: 0.2,
      top_p: 0.5,
    };
    const { upstream, warnings } = translateRequest(openaiChat, anthropicMessages, body, 'claude-sonnet-4-5');
    expect(upstream).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 8000,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Prove it.' }] }],
      thinking: { type: 'enabled', budget_tokens: 4096 },
      stream: false,
    });
    expect(warnings).toEqual([
      'temperature is not allowed with thinking; dropped',
      'top_p below 0.95 is not allowed with thinking; dropped',
    ]);
  });

  test.each<[string, unknown, Record<string, unknown>]>([
    ['auto', 'auto', { type: 'auto' }],
    ['required', 'required', { type: 'any' }],
    ['none', 'none', { type: 'none' }],
    [
      'a named function',
      { type: 'function', function: { name: 'get_weather' } },
      { type: 'tool', name: 'get_weather' },
    ],
  ])('tool_choice %s', (_name, choice, expected) => {
    const body = {
      model: 'gpt-alias',
      messages: [{ role: 'user', content: 'hi' }],
      tools: openaiBody.tools,
      tool_choice: choice,
    };
    const { upstream } = translateRequest(openaiChat, anthropicMessages, body, 'claude-sonnet-4-5');
    expect(upstream.tool_choice).toEqual(expected);
  });

  test('parallel_tool_calls: false becomes disable_parallel_tool_use (except with none)', () => {
    const build = (choice: unknown) =>
      translateRequest(
        openaiChat,
        anthropicMessages,
        {
          model: 'gpt-alias',
          messages: [{ role: 'user', content: 'hi' }],
          tools: openaiBody.tools,
          parallel_tool_calls: false,
          ...(choice !== undefined && { tool_choice: choice }),
        },
        'claude-sonnet-4-5',
      ).upstream.tool_choice;
    expect(build(undefined)).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(build('required')).toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(build('none')).toEqual({ type: 'none' });
  });
});

describe('what Anthropic cannot carry: n > 1, logprobs', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['n: 3', { n: 3 }, /^n > 1 asks for several choices.*needs an upstream that speaks openai-chat$/],
    [
      'logprobs: true',
      { logprobs: true, top_logprobs: 2 },
      /^logprobs are only available.*speaks openai-chat$/,
    ],
  ])(
    '%s is marked requiresSameDialect and refused by the Anthropic builder with a 400',
    (_name, extra, message) => {
      const body = { model: 'gpt-alias', messages: [{ role: 'user', content: 'hi' }], ...extra };
      const { request } = openaiChat.parseRequest(body);
      expect(request.requiresSameDialect).toEqual(expect.any(String));
      let thrown: unknown;
      try {
        anthropicMessages.buildRequest(request, {
          model: 'claude-sonnet-4-5',
          stream: false,
          defaultMaxTokens: 4096,
        });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ProviderError);
      expect(thrown).toMatchObject({ type: 'invalid_request', status: 400, retryable: false });
      expect((thrown as ProviderError).message).toMatch(message);
      // The client hears it as a 400 in its own dialect.
      expect(openaiChat.encodeError(thrown as ProviderError)).toMatchObject({
        status: 400,
        body: { error: { type: 'invalid_request_error' } },
      });
    },
  );

  test('n: 1 and logprobs: false ask for nothing special and translate', () => {
    const body = { model: 'gpt-alias', messages: [{ role: 'user', content: 'hi' }], n: 1, logprobs: false };
    const { request, upstream, warnings } = translateRequest(openaiChat, anthropicMessages, body, 'claude-x');
    expect(request.requiresSameDialect).toBeUndefined();
    expect(upstream).not.toHaveProperty('n');
    expect(warnings).toEqual([
      'n has no Anthropic equivalent; dropped',
      'logprobs has no Anthropic equivalent; dropped',
    ]);
  });
});

describe('same dialect', () => {
  test('OpenAI → OpenAI: the body survives, passthrough included (n, logprobs, response_format, seed)', () => {
    const body = {
      ...openaiBody,
      n: 3,
      logprobs: true,
      top_logprobs: 2,
      response_format: { type: 'json_schema', json_schema: { name: 'w', schema: WEATHER_SCHEMA } },
      seed: 7,
      stream_options: { include_usage: false, include_obfuscation: false },
    };
    const { request, upstream, warnings } = translateRequest(
      openaiChat,
      openaiChat,
      body,
      'gpt-4o-2024-08-06',
    );
    expect(request.requiresSameDialect).toEqual(expect.any(String));
    // The client's body as sent (messages, roles and content parts untouched), only the model changed.
    expect(upstream).toEqual({
      ...body,
      model: 'gpt-4o-2024-08-06',
      // Upstream usage is always asked for; the client's own choice is kept for its encoder.
      stream_options: { include_usage: true, include_obfuscation: false },
    });
    expect(upstream.messages).toBe(body.messages);
    expect(warnings).toEqual([]);
  });

  test('Anthropic → Anthropic: the body survives verbatim (cache_control, documents, thinking, service_tier)', () => {
    const { request, upstream, warnings } = translateRequest(
      anthropicMessages,
      anthropicMessages,
      anthropicBody,
      'claude-sonnet-4-5',
    );
    expect(request.native?.system).toBe(anthropicBody.system);
    // The client's body as sent, only the model changed (and stream as the route asks).
    expect(upstream).toEqual({ ...anthropicBody, model: 'claude-sonnet-4-5' });
    // The document maps to other dialects now (its citations are dropped silently): no parse warning.
    expect(warnings).toEqual([]);
  });
});
