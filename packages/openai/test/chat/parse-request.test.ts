/** openaiChat.parseRequest: a client's Chat Completions body → canonical request. */

import { ProviderError } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { openaiChat } from '../../src/index.ts';

const parse = (body: unknown) => openaiChat.parseRequest(body);

function failure(body: unknown): ProviderError {
  try {
    parse(body);
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected parseRequest to throw');
}

test('a full tool-loop conversation', () => {
  const { request, warnings } = parse({
    model: 'gpt-4-streaming',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'developer', content: [{ type: 'text', text: 'Use tools.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Weather here?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/a.jpg', detail: 'auto' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
          { id: 'call_2', type: 'function', function: { name: 'time', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
      { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '12:00' }] },
      { role: 'user', content: 'Thanks' },
    ],
    tools: [
      {
        type: 'function',
        function: {
          name: 'weather',
          description: 'Weather by city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          strict: true,
        },
      },
      { type: 'function', function: { name: 'time' } },
    ],
    tool_choice: { type: 'function', function: { name: 'weather' } },
    parallel_tool_calls: false,
    max_completion_tokens: 256,
    temperature: 0.2,
    top_p: 0.9,
    stop: 'END',
    user: 'user-42',
    reasoning_effort: 'low',
    stream: true,
    stream_options: { include_usage: true },
  });
  expect(warnings).toEqual([]);
  expect(request).toMatchInlineSnapshot(`
    {
      "includeUsage": true,
      "maxTokens": 256,
      "maxTokensParam": "max_completion_tokens",
      "messages": [
        {
          "content": [
            {
              "text": "Weather here?",
              "type": "text",
            },
            {
              "source": {
                "data": "iVBORw0KGgo=",
                "kind": "base64",
                "mediaType": "image/png",
              },
              "type": "image",
            },
            {
              "source": {
                "kind": "url",
                "url": "https://example.com/a.jpg",
              },
              "type": "image",
            },
          ],
          "role": "user",
        },
        {
          "content": [
            {
              "arguments": "{"city":"Oslo"}",
              "id": "call_1",
              "name": "weather",
              "type": "tool-call",
            },
            {
              "arguments": "{}",
              "id": "call_2",
              "name": "time",
              "type": "tool-call",
            },
          ],
          "role": "assistant",
        },
        {
          "content": [
            {
              "content": [
                {
                  "text": "Sunny",
                  "type": "text",
                },
              ],
              "toolCallId": "call_1",
              "type": "tool-result",
            },
            {
              "content": [
                {
                  "text": "12:00",
                  "type": "text",
                },
              ],
              "toolCallId": "call_2",
              "type": "tool-result",
            },
          ],
          "role": "user",
        },
        {
          "content": [
            {
              "text": "Thanks",
              "type": "text",
            },
          ],
          "role": "user",
        },
      ],
      "model": "gpt-4-streaming",
      "parallelToolCalls": false,
      "passthrough": {},
      "raw": {
        "max_completion_tokens": 256,
        "messages": [
          {
            "content": "Be brief.",
            "role": "system",
          },
          {
            "content": [
              {
                "text": "Use tools.",
                "type": "text",
              },
            ],
            "role": "developer",
          },
          {
            "content": [
              {
                "text": "Weather here?",
                "type": "text",
              },
              {
                "image_url": {
                  "url": "data:image/png;base64,iVBORw0KGgo=",
                },
                "type": "image_url",
              },
              {
                "image_url": {
                  "detail": "auto",
                  "url": "https://example.com/a.jpg",
                },
                "type": "image_url",
              },
            ],
            "role": "user",
          },
          {
            "content": null,
            "role": "assistant",
            "tool_calls": [
              {
                "function": {
                  "arguments": "{"city":"Oslo"}",
                  "name": "weather",
                },
                "id": "call_1",
                "type": "function",
              },
              {
                "function": {
                  "arguments": "{}",
                  "name": "time",
                },
                "id": "call_2",
                "type": "function",
              },
            ],
          },
          {
            "content": "Sunny",
            "role": "tool",
            "tool_call_id": "call_1",
          },
          {
            "content": [
              {
                "text": "12:00",
                "type": "text",
              },
            ],
            "role": "tool",
            "tool_call_id": "call_2",
          },
          {
            "content": "Thanks",
            "role": "user",
          },
        ],
        "model": "gpt-4-streaming",
        "parallel_tool_calls": false,
        "reasoning_effort": "low",
        "stop": "END",
        "stream": true,
        "stream_options": {
          "include_usage": true,
        },
        "temperature": 0.2,
        "tool_choice": {
          "function": {
            "name": "weather",
          },
          "type": "function",
        },
        "tools": [
          {
            "function": {
              "description": "Weather by city",
              "name": "weather",
              "parameters": {
                "properties": {
                  "city": {
                    "type": "string",
                  },
                },
                "required": [
                  "city",
                ],
                "type": "object",
              },
              "strict": true,
            },
            "type": "function",
          },
          {
            "function": {
              "name": "time",
            },
            "type": "function",
          },
        ],
        "top_p": 0.9,
        "user": "user-42",
      },
      "reasoning": {
        "effort": "low",
      },
      "sourceDialect": "openai-chat",
      "stopSequences": [
        "END",
      ],
      "stream": true,
      "system": "Be brief.

    Use tools.",
      "temperature": 0.2,
      "toolChoice": {
        "name": "weather",
        "type": "tool",
      },
      "tools": [
        {
          "description": "Weather by city",
          "inputSchema": {
            "properties": {
              "city": {
                "type": "string",
              },
            },
            "required": [
              "city",
            ],
            "type": "object",
          },
          "name": "weather",
          "strict": true,
        },
        {
          "inputSchema": {
            "properties": {},
            "type": "object",
          },
          "name": "time",
        },
      ],
      "topP": 0.9,
      "userId": "user-42",
    }
  `);
});

test('unmapped fields go to passthrough verbatim; n > 1 and logprobs need a same-dialect upstream', () => {
  const extras = {
    n: 3,
    logprobs: true,
    top_logprobs: 2,
    seed: 7,
    presence_penalty: 0.5,
    frequency_penalty: 0.1,
    logit_bias: { '50256': -100 },
    service_tier: 'flex',
    store: false,
    metadata: { app: 'x' },
    prediction: { type: 'content', content: 'x' },
    web_search_options: {},
  };
  const { request } = parse({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...extras });
  expect(request.passthrough).toEqual(extras);
  expect(request.stream).toBe(false);
  expect(request.requiresSameDialect).toMatch(/^n > 1/);
  const logprobs = parse({ model: 'm', messages: [{ role: 'user', content: 'hi' }], logprobs: true });
  expect(logprobs.request.requiresSameDialect).toMatch(/logprobs/);
  const audio = parse({
    model: 'm',
    messages: [{ role: 'user', content: 'hi' }],
    modalities: ['text', 'audio'],
  });
  expect(audio.request.requiresSameDialect).toMatch(/audio/);
  const plain = parse({ model: 'm', messages: [{ role: 'user', content: 'hi' }], n: 1, logprobs: false });
  expect(plain.request.requiresSameDialect).toBeUndefined();
});

describe('accepted but changed or ignored: warnings', () => {
  test('each one is named', () => {
    const { request, warnings } = parse({
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [{ type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'high' } }],
          name: 'bob',
        },
        { role: 'assistant', content: 'ok', refusal: 'no' },
        { role: 'system', content: 'late system' },
      ],
      max_tokens: 10,
      max_completion_tokens: 20,
      reasoning_effort: 'ultra',
      stream_options: { include_usage: true },
    });
    expect(warnings).toMatchInlineSnapshot(`
      [
        "messages[0].name is ignored",
        "messages[0].content[0].image_url.detail is ignored",
        "messages[1].refusal: an earlier refusal is sent as text",
        "max_tokens is ignored: max_completion_tokens is set",
        "reasoning_effort 'ultra' is only passed to OpenAI-dialect upstreams",
        "stream_options is ignored: stream is not true",
      ]
    `);
    expect(request.maxTokens).toBe(20);
    // A system message after the first turn stays at its position.
    expect(request.system).toBeUndefined();
    expect(request.messages.find((m) => m.role === 'system')).toEqual({
      role: 'system',
      content: [{ type: 'text', text: 'late system' }],
    });
    expect(request.passthrough).toEqual({ reasoning_effort: 'ultra' });
    expect(request.includeUsage).toBeUndefined();
  });

  test('assistant reasoning_content becomes a thinking part; stream_options extras are passed through', () => {
    const { request } = parse({
      model: 'm',
      stream: true,
      stream_options: { include_usage: false, include_obfuscation: false },
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', reasoning_content: 'hmm', content: 'hello' },
      ],
    });
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', text: 'hmm' },
        { type: 'text', text: 'hello' },
      ],
    });
    expect(request.includeUsage).toBeUndefined();
    expect(request.passthrough).toEqual({ stream_options: { include_obfuscation: false } });
  });

  test('nulls count as absent', () => {
    const { request } = parse({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: null,
      stop: null,
      tools: null,
      tool_choice: null,
      max_tokens: null,
      stream: null,
    });
    expect(Object.keys(request).sort()).toEqual([
      'messages',
      'model',
      'passthrough',
      'raw',
      'sourceDialect',
      'stream',
    ]);
  });
});

describe('tools and reasoning other dialects cannot take', () => {
  const user = [{ role: 'user', content: 'hi' }];
  const weather = { type: 'function', function: { name: 'weather', parameters: { type: 'object' } } };
  const patch = { type: 'custom', custom: { name: 'apply_patch', format: { type: 'text' } } };

  test('a custom tool is dropped for other dialects with a warning naming it; the body keeps it', () => {
    const body = { model: 'm', messages: user, tools: [weather, patch] };
    const { request, warnings } = parse(body);
    expect(request.tools?.map((tool) => tool.name)).toEqual(['weather']);
    expect(request.untranslatable).toBeUndefined();
    expect(request.raw).toBe(body);
    expect(warnings).toEqual([
      "tools[1]: the 'apply_patch' custom tool is sent only to OpenAI-dialect upstreams (dropped for others)",
    ]);
  });

  test.each<[string, unknown, string | undefined]>([
    [
      'a custom tool',
      { type: 'custom', custom: { name: 'apply_patch' } },
      "tool_choice: custom 'apply_patch' can only be honoured by an OpenAI-dialect upstream",
    ],
    [
      'allowed_tools',
      { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [] } },
      'tool_choice: allowed_tools can only be honoured by an OpenAI-dialect upstream',
    ],
    ['a function', { type: 'function', function: { name: 'weather' } }, undefined],
  ])('a tool_choice forcing %s', (_name, choice, untranslatable) => {
    const { request } = parse({ model: 'm', messages: user, tools: [weather, patch], tool_choice: choice });
    expect(request.untranslatable).toBe(untranslatable);
  });

  test("'required' with only custom tools depends on them", () => {
    const { request } = parse({ model: 'm', messages: user, tools: [patch], tool_choice: 'required' });
    expect(request.tools).toBeUndefined();
    expect(request.untranslatable).toBe(
      "tool_choice: 'required' can only pick 'apply_patch' here, which only an OpenAI-dialect upstream can run",
    );
  });

  test.each(['none', 'minimal', 'low', 'medium', 'high', 'xhigh'])(
    'reasoning_effort %s is canonical',
    (effort) => {
      const { request, warnings } = parse({ model: 'm', messages: user, reasoning_effort: effort });
      expect(request.reasoning).toEqual({ effort });
      expect(request.passthrough).toEqual({});
      expect(warnings).toEqual([]);
    },
  );
});

describe('400s that name the parameter', () => {
  const user = [{ role: 'user', content: 'hi' }];
  test.each([
    [null, 'body', 'body: must be a JSON object with model and messages'],
    [{ messages: user }, 'model', 'model: is required'],
    [{ model: 'm' }, 'messages', 'messages: must be a non-empty array'],
    [{ model: 'm', messages: [] }, 'messages', 'messages: must be a non-empty array'],
    [
      { model: 'm', messages: [{ role: 'bot', content: 'x' }] },
      'messages[0].role',
      'messages[0].role: must be one of system, developer, user, assistant, tool',
    ],
    [
      { model: 'm', messages: [{ role: 'function', name: 'f', content: 'x' }] },
      'messages[0].role',
      "messages[0].role: 'function' messages are deprecated and not supported: use tools",
    ],
    [
      { model: 'm', messages: [{ role: 'user', content: 5 }] },
      'messages[0].content',
      'messages[0].content: must be a string or an array of content parts',
    ],
    [
      { model: 'm', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] },
      'messages[0].content[0].type',
      "messages[0].content[0].type: 'input_audio' content is not supported by TokenPak (text, image_url and file are)",
    ],
    [
      {
        model: 'm',
        messages: [
          { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png,abc' } }] },
        ],
      },
      'messages[0].content[0].image_url.url',
      'messages[0].content[0].image_url.url: data: URLs must be base64-encoded',
    ],
    [
      { model: 'm', messages: [{ role: 'tool', content: 'x' }] },
      'messages[0].tool_call_id',
      'messages[0].tool_call_id: is required',
    ],
    [
      {
        model: 'm',
        messages: [
          { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { arguments: '{}' } }] },
        ],
      },
      'messages[0].tool_calls[0].function.name',
      'messages[0].tool_calls[0].function.name: is required',
    ],
    [
      { model: 'm', messages: user, tool_choice: 'any' },
      'tool_choice',
      "tool_choice: must be 'auto', 'none', 'required' or { type: 'function', function: { name } }",
    ],
    [{ model: 'm', messages: user, max_tokens: 0 }, 'max_tokens', 'max_tokens: must be a positive integer'],
    [{ model: 'm', messages: user, temperature: 3 }, 'temperature', 'temperature: must be between 0 and 2'],
    [{ model: 'm', messages: user, stop: [1] }, 'stop', 'stop: must be a string or an array of strings'],
    [{ model: 'm', messages: user, stream: 'yes' }, 'stream', 'stream: must be true or false'],
  ])('%j', (body, param, message) => {
    const error = failure(body);
    expect(error.type).toBe('invalid_request');
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toBe(message);
    expect(openaiChat.encodeError(error).body).toEqual({
      error: { message, type: 'invalid_request_error', param, code: null },
    });
  });
});

describe('response_format → canonical responseFormat', () => {
  const base = { model: 'm', messages: [{ role: 'user', content: 'Answer in JSON' }] };

  test('json_schema: name, description, schema and strict; nothing left in passthrough', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const { request } = parse({
      ...base,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'weather', description: 'A city', schema, strict: true },
      },
    });
    expect(request.responseFormat).toEqual({
      type: 'json_schema',
      name: 'weather',
      description: 'A city',
      schema,
      strict: true,
    });
    expect(request.passthrough).toEqual({});
  });

  test('json_object and text map; a json_schema without a schema asks for any JSON', () => {
    expect(parse({ ...base, response_format: { type: 'json_object' } }).request.responseFormat).toEqual({
      type: 'json_object',
    });
    expect(parse({ ...base, response_format: { type: 'text' } }).request.responseFormat).toEqual({
      type: 'text',
    });
    const loose = parse({ ...base, response_format: { type: 'json_schema', json_schema: { name: 'x' } } });
    expect(loose.request.responseFormat).toEqual({ type: 'json_object' });
  });

  test('an unknown type stays in passthrough; a malformed one is a 400 naming the field', () => {
    const other = parse({ ...base, response_format: { type: 'structural_tag', tags: [] } });
    expect(other.request.responseFormat).toBeUndefined();
    expect(other.request.passthrough).toEqual({ response_format: { type: 'structural_tag', tags: [] } });
    expect(() => parse({ ...base, response_format: { type: 'json_schema', json_schema: 'x' } })).toThrow(
      expect.objectContaining({ param: 'response_format.json_schema' }),
    );
    expect(() =>
      parse({ ...base, response_format: { type: 'json_schema', json_schema: { name: 'x', schema: [] } } }),
    ).toThrow(expect.objectContaining({ param: 'response_format.json_schema.schema' }));
  });
});
