import { ProviderError } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { anthropicMessages } from '../../src/index.ts';

const parse = (body: unknown) => anthropicMessages.parseRequest(body);

function parseError(body: unknown): ProviderError {
  try {
    parse(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected parseRequest to throw');
}

describe('parseRequest', () => {
  test("the recipe's curl body (no max_tokens)", () => {
    expect(
      parse({
        model: 'gpt-4-streaming',
        stream: true,
        messages: [{ role: 'user', content: 'Write a haiku about API proxies' }],
      }),
    ).toMatchInlineSnapshot(`
      {
        "request": {
          "messages": [
            {
              "content": [
                {
                  "text": "Write a haiku about API proxies",
                  "type": "text",
                },
              ],
              "role": "user",
            },
          ],
          "model": "gpt-4-streaming",
          "passthrough": {},
          "raw": {
            "messages": [
              {
                "content": "Write a haiku about API proxies",
                "role": "user",
              },
            ],
            "model": "gpt-4-streaming",
            "stream": true,
          },
          "sourceDialect": "anthropic-messages",
          "stream": true,
        },
        "warnings": [],
      }
    `);
  });

  test('every canonical field: blocks, system blocks, tools, tool_choice, sampling, thinking, metadata', () => {
    const { request, warnings } = parse({
      model: 'claude-opus',
      max_tokens: 1024,
      system: [
        { type: 'text', text: 'You are terse.' },
        { type: 'text', text: 'Answer in French.' },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture, and the weather?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Need the tool.', signature: 'sig-1' },
            { type: 'redacted_thinking', data: 'opaque' },
            { type: 'text', text: 'Let me check.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C', is_error: false },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_2',
              is_error: true,
              content: [{ type: 'text', text: 'timeout' }],
            },
          ],
        },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Weather by city',
          input_schema: { type: 'object', properties: { city: { type: 'string' } } },
        },
      ],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      stream: false,
      metadata: { user_id: 'user-42' },
      thinking: { type: 'enabled', budget_tokens: 2048 },
    });
    expect(warnings).toEqual([]);
    expect(request).toMatchInlineSnapshot(`
      {
        "maxTokens": 1024,
        "messages": [
          {
            "content": [
              {
                "text": "What is in this picture, and the weather?",
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
                  "url": "https://example.com/cat.jpg",
                },
                "type": "image",
              },
            ],
            "role": "user",
          },
          {
            "content": [
              {
                "signature": "sig-1",
                "text": "Need the tool.",
                "type": "thinking",
              },
              {
                "data": "opaque",
                "type": "redacted-thinking",
              },
              {
                "text": "Let me check.",
                "type": "text",
              },
              {
                "arguments": "{"city":"Paris"}",
                "id": "toolu_1",
                "name": "get_weather",
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
                    "text": "18°C",
                    "type": "text",
                  },
                ],
                "isError": false,
                "toolCallId": "toolu_1",
                "type": "tool-result",
              },
              {
                "content": [
                  {
                    "text": "timeout",
                    "type": "text",
                  },
                ],
                "isError": true,
                "toolCallId": "toolu_2",
                "type": "tool-result",
              },
            ],
            "role": "user",
          },
        ],
        "model": "claude-opus",
        "parallelToolCalls": false,
        "passthrough": {},
        "raw": {
          "max_tokens": 1024,
          "messages": [
            {
              "content": [
                {
                  "text": "What is in this picture, and the weather?",
                  "type": "text",
                },
                {
                  "source": {
                    "data": "iVBORw0KGgo=",
                    "media_type": "image/png",
                    "type": "base64",
                  },
                  "type": "image",
                },
                {
                  "source": {
                    "type": "url",
                    "url": "https://example.com/cat.jpg",
                  },
                  "type": "image",
                },
              ],
              "role": "user",
            },
            {
              "content": [
                {
                  "signature": "sig-1",
                  "thinking": "Need the tool.",
                  "type": "thinking",
                },
                {
                  "data": "opaque",
                  "type": "redacted_thinking",
                },
                {
                  "text": "Let me check.",
                  "type": "text",
                },
                {
                  "id": "toolu_1",
                  "input": {
                    "city": "Paris",
                  },
                  "name": "get_weather",
                  "type": "tool_use",
                },
              ],
              "role": "assistant",
            },
            {
              "content": [
                {
                  "content": "18°C",
                  "is_error": false,
                  "tool_use_id": "toolu_1",
                  "type": "tool_result",
                },
                {
                  "content": [
                    {
                      "text": "timeout",
                      "type": "text",
                    },
                  ],
                  "is_error": true,
                  "tool_use_id": "toolu_2",
                  "type": "tool_result",
                },
              ],
              "role": "user",
            },
          ],
          "metadata": {
            "user_id": "user-42",
          },
          "model": "claude-opus",
          "stop_sequences": [
            "END",
          ],
          "stream": false,
          "system": [
            {
              "text": "You are terse.",
              "type": "text",
            },
            {
              "text": "Answer in French.",
              "type": "text",
            },
          ],
          "temperature": 0.2,
          "thinking": {
            "budget_tokens": 2048,
            "type": "enabled",
          },
          "tool_choice": {
            "disable_parallel_tool_use": true,
            "type": "any",
          },
          "tools": [
            {
              "description": "Weather by city",
              "input_schema": {
                "properties": {
                  "city": {
                    "type": "string",
                  },
                },
                "type": "object",
              },
              "name": "get_weather",
            },
          ],
          "top_k": 40,
          "top_p": 0.9,
        },
        "reasoning": {
          "budgetTokens": 2048,
        },
        "sourceDialect": "anthropic-messages",
        "stopSequences": [
          "END",
        ],
        "stream": false,
        "system": "You are terse.

      Answer in French.",
        "temperature": 0.2,
        "toolChoice": {
          "type": "required",
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
              "type": "object",
            },
            "name": "get_weather",
          },
        ],
        "topK": 40,
        "topP": 0.9,
        "userId": "user-42",
      }
    `);
    expect(request.native).toBeUndefined();
  });

  test('fields with no canonical meaning go to passthrough', () => {
    const { request } = parse({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      container: 'container_1',
      mcp_servers: [{ type: 'url', url: 'https://mcp.example.com', name: 'x' }],
      service_tier: 'auto',
      output_config: { effort: 'low', format: { type: 'json_schema', schema: {} } },
      thinking: { type: 'between_tools' },
      metadata: { user_id: 'u', extra: 1 },
    });
    expect(Object.keys(request.passthrough).sort()).toEqual([
      'container',
      'mcp_servers',
      'metadata',
      'service_tier',
      'thinking',
    ]);
    // The effort and the output format map: nothing of output_config is left over.
    expect(request.responseFormat).toEqual({ type: 'json_schema', schema: {} });
    expect(request.reasoning).toEqual({ effort: 'low', effortParam: 'output_config' });
    expect(request.userId).toBe('u');
  });

  test.each<[string, Record<string, unknown>, unknown, string[]]>([
    ['enabled', { thinking: { type: 'enabled', budget_tokens: 3000 } }, { budgetTokens: 3000 }, []],
    ['adaptive', { thinking: { type: 'adaptive' } }, { mode: 'adaptive' }, []],
    [
      'adaptive with an effort',
      { thinking: { type: 'adaptive', display: 'omitted' }, output_config: { effort: 'max' } },
      { mode: 'adaptive', effort: 'max', effortParam: 'output_config' },
      ['thinking.display is sent only to Anthropic upstreams (dropped for others)'],
    ],
    ['disabled', { thinking: { type: 'disabled' } }, undefined, []],
    [
      'an unknown effort',
      { output_config: { effort: 'turbo' } },
      undefined,
      ['output_config.effort "turbo" is sent only to Anthropic upstreams (dropped for others)'],
    ],
  ])('reasoning controls: %s', (_name, extra, reasoning, warnings) => {
    const parsed = parse({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...extra });
    expect(parsed.request.reasoning).toEqual(reasoning);
    expect(parsed.warnings).toEqual(warnings);
    expect(parsed.request.passthrough.thinking).toBeUndefined();
  });

  test('a tool_choice that forces a server tool makes the request untranslatable', () => {
    const tools = [
      { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
      { name: 'get_weather', input_schema: { type: 'object' } },
    ];
    const base = { model: 'm', messages: [{ role: 'user', content: 'hi' }], tools };
    const forced = parse({ ...base, tool_choice: { type: 'tool', name: 'web_search' } }).request;
    expect(forced.untranslatable).toBe(
      "tool_choice: forces the server tool 'web_search', which only an Anthropic upstream can run",
    );
    expect(parse({ ...base, tool_choice: { type: 'any' } }).request.untranslatable).toBeUndefined();
    const onlyServer = parse({ ...base, tools: [tools[0]], tool_choice: { type: 'any' } }).request;
    expect(onlyServer.untranslatable).toMatch(/^tool_choice: 'any' can only pick a server tool/);
  });

  test('search results, server tools and cache_control are kept verbatim in native; what others lose is named', () => {
    const body = {
      model: 'm',
      system: [{ type: 'text', text: 'Long rules', cache_control: { type: 'ephemeral' } }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'search_result', source: 'https://example.com', title: 'A', content: [] },
            { type: 'text', text: 'Summarise', cache_control: { type: 'ephemeral' } },
          ],
        },
      ],
      tools: [
        { type: 'web_search_20250305', name: 'web_search', max_uses: 2 },
        { name: 'calc', input_schema: { type: 'object' } },
      ],
    };
    const { request, warnings } = parse(body);
    expect(warnings).toEqual([
      "messages.0.content.0: a 'search_result' block is sent only to Anthropic upstreams (dropped for others)",
      "tools.0: server tool 'web_search' (web_search_20250305) is sent only to Anthropic upstreams (dropped for others)",
    ]);
    expect(request.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Summarise' }] }]);
    expect(request.system).toBe('Long rules');
    expect(request.tools).toEqual([{ name: 'calc', inputSchema: { type: 'object' } }]);
    expect(request.native).toEqual({
      dialect: 'anthropic-messages',
      system: body.system,
      messages: body.messages,
      tools: body.tools,
    });
  });

  test('document blocks: base64 PDF, plain text and URL sources become document parts; file sources stay Anthropic-only', () => {
    const body = {
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'document',
              source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0x' },
              title: 'Report',
              context: 'Q3 figures',
              citations: { enabled: true },
            },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Plain words' } },
            { type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } },
            { type: 'text', text: 'Compare them' },
          ],
        },
      ],
    };
    const { request, warnings } = parse(body);
    expect(warnings).toEqual([]);
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          {
            type: 'document',
            source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0x' },
            title: 'Report',
            context: 'Q3 figures',
          },
          { type: 'document', source: { kind: 'text', text: 'Plain words' } },
          {
            type: 'document',
            source: { kind: 'url', url: 'https://example.com/a.pdf', mediaType: 'application/pdf' },
          },
          { type: 'text', text: 'Compare them' },
        ],
      },
    ]);
    // Citations have no canonical form: the messages are kept as sent for an Anthropic upstream.
    expect(request.native?.messages).toBe(body.messages);
    expect(request.untranslatable).toBeUndefined();

    const stored = parse({
      model: 'm',
      messages: [
        { role: 'user', content: [{ type: 'document', source: { type: 'file', file_id: 'file_1' } }] },
      ],
    });
    expect(stored.request.untranslatable).toMatch(
      /^messages\.0\.content\.0\.source: a document given by file_id/,
    );
  });

  test.each([
    [null, 'body: expected a JSON object'],
    [{ messages: [] }, 'model: expected a string'],
    [{ model: 'm' }, 'messages: expected an array of messages'],
    [{ model: 'm', messages: [] }, 'messages: at least one message is required'],
    [
      { model: 'm', messages: [{ role: 42, content: 'x' }] },
      "messages.0.role: expected 'user', 'assistant' or 'system'",
    ],
    [
      { model: 'm', messages: [{ role: 'user', content: 42 }] },
      'messages.0.content: expected a string or an array of content blocks',
    ],
    [
      { model: 'm', messages: [{ role: 'user', content: [{ text: 'x' }] }] },
      'messages.0.content.0: expected a content block (an object with a string `type`)',
    ],
    [
      {
        model: 'm',
        messages: [{ role: 'user', content: [{ type: 'tool_use', id: 'a', name: 'b', input: {} }] }],
      },
      "messages.0.content.0: 'tool_use' blocks belong in assistant messages",
    ],
    [
      { model: 'm', messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'ftp' } }] }] },
      "messages.0.content.0.source.type: expected 'base64', 'url' or 'file'",
    ],
    [
      { model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 0 },
      'max_tokens: expected an integer of at least 1',
    ],
    [
      { model: 'm', messages: [{ role: 'user', content: 'x' }], tools: [{ name: 't' }] },
      'tools.0.input_schema: expected an object',
    ],
    [
      { model: 'm', messages: [{ role: 'user', content: 'x' }], tool_choice: { type: 'tool' } },
      'tool_choice.name: expected a string',
    ],
    [
      { model: 'm', messages: [{ role: 'user', content: 'x' }], thinking: { type: 'enabled' } },
      'thinking.budget_tokens: expected an integer of at least 1',
    ],
  ])('rejects %j with a 400 naming the field', (body, message) => {
    const error = parseError(body);
    expect(error.type).toBe('invalid_request');
    expect(error.status).toBe(400);
    expect(error.message).toBe(message);
  });

  test('a system turn mid-conversation (Claude Code) stays at its position', () => {
    const body = {
      model: 'claude',
      max_tokens: 64,
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
        {
          role: 'system',
          content: [{ type: 'text', text: 'Be terse.', cache_control: { type: 'ephemeral' } }],
        },
        { role: 'user', content: 'Again' },
      ],
    };
    const { request } = anthropicMessages.parseRequest(body);
    expect(request.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'system', 'user']);
    expect(request.messages[2]).toEqual({ role: 'system', content: [{ type: 'text', text: 'Be terse.' }] });
    expect(request.untranslatable).toBeUndefined();
    expect(request.raw).toBe(body);
  });

  test('an unknown role is kept for an Anthropic upstream and makes the request untranslatable', () => {
    const body = {
      model: 'm',
      messages: [
        { role: 'user', content: 'x' },
        { role: 'critic', content: 'y' },
      ],
    };
    const { request } = anthropicMessages.parseRequest(body);
    expect(request.messages).toHaveLength(1);
    expect(request.untranslatable).toMatch(/^messages\.1\.role: 'critic'/);
    // Built for an Anthropic upstream, the body is the client's, model aside.
    const built = anthropicMessages.buildRequest(request, {
      model: 'claude-x',
      stream: true,
      defaultMaxTokens: 99,
    });
    expect(built).toEqual({ ...body, model: 'claude-x', max_tokens: 99, stream: true });
  });

  test('parseRawRequest: model and stream for routing, the body as sent', () => {
    const body = { model: 'm', stream: true, messages: [{ role: 'user', content: 42 }] };
    expect(anthropicMessages.parseRawRequest!(body)).toMatchObject({ model: 'm', stream: true, raw: body });
    expect(() => anthropicMessages.parseRawRequest!({ messages: [] })).toThrow(/model/);
    expect(() => anthropicMessages.parseRawRequest!({ model: 'm', messages: 'x' })).toThrow(/messages/);
  });
});
