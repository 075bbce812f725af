import { type CanonicalRequest, ProviderError } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { anthropicMessages } from '../../src/index.ts';

const options = { model: 'claude-sonnet-4-5', stream: true, defaultMaxTokens: 4096 };

function build(request: Partial<CanonicalRequest>, opts = options) {
  const warnings: string[] = [];
  const body = anthropicMessages.buildRequest(
    {
      model: 'alias',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      stream: true,
      sourceDialect: 'openai-chat',
      passthrough: {},
      ...request,
    },
    opts,
    warnings,
  );
  return { body, warnings };
}

describe('buildRequest', () => {
  test('a translated OpenAI conversation: merged turns, tool results first, defaults filled', () => {
    const { body, warnings } = build({
      system: 'Be brief.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Oslo?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: '' },
            { type: 'tool-call', id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { type: 'tool-call', id: 'call_b', name: 'get_weather', arguments: '{"city":"Oslo"}' },
          ],
        },
        {
          role: 'user',
          content: [{ type: 'tool-result', toolCallId: 'call_a', content: [{ type: 'text', text: '18°C' }] }],
        },
        {
          role: 'user',
          content: [{ type: 'tool-result', toolCallId: 'call_b', content: [], isError: true }],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'And this?' },
            { type: 'image', source: { kind: 'url', url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
      tools: [{ name: 'get_weather', description: 'Weather', inputSchema: { type: 'object' } }],
      toolChoice: { type: 'required' },
      parallelToolCalls: false,
      temperature: 0.3,
      stopSequences: ['END'],
      userId: 'user-1',
    });
    expect(warnings).toEqual([]);
    expect(body).toMatchInlineSnapshot(`
      {
        "max_tokens": 4096,
        "messages": [
          {
            "content": [
              {
                "text": "Weather in Paris and Oslo?",
                "type": "text",
              },
            ],
            "role": "user",
          },
          {
            "content": [
              {
                "id": "call_a",
                "input": {
                  "city": "Paris",
                },
                "name": "get_weather",
                "type": "tool_use",
              },
              {
                "id": "call_b",
                "input": {
                  "city": "Oslo",
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
                "tool_use_id": "call_a",
                "type": "tool_result",
              },
              {
                "is_error": true,
                "tool_use_id": "call_b",
                "type": "tool_result",
              },
              {
                "text": "And this?",
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
            ],
            "role": "user",
          },
        ],
        "metadata": {
          "user_id": "user-1",
        },
        "model": "claude-sonnet-4-5",
        "stop_sequences": [
          "END",
        ],
        "stream": true,
        "system": "Be brief.",
        "temperature": 0.3,
        "tool_choice": {
          "disable_parallel_tool_use": true,
          "type": "any",
        },
        "tools": [
          {
            "description": "Weather",
            "input_schema": {
              "type": "object",
            },
            "name": "get_weather",
          },
        ],
      }
    `);
  });

  test('same dialect: parse → build keeps the body, with native fields and passthrough re-applied', () => {
    const client = {
      model: 'claude-opus',
      max_tokens: 1000,
      system: [{ type: 'text', text: 'Rules', cache_control: { type: 'ephemeral' } }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } },
            { type: 'text', text: 'Summarise' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Hmm', signature: 'sig' },
            { type: 'text', text: 'Sure' },
          ],
        },
        { role: 'user', content: 'Go on' },
      ],
      tools: [{ type: 'web_search_20250305', name: 'web_search' }],
      tool_choice: { type: 'auto' },
      temperature: 0.5,
      top_k: 5,
      thinking: { type: 'enabled', budget_tokens: 800 },
      metadata: { user_id: 'u1' },
      container: 'c1',
      service_tier: 'auto',
      stream: true,
    };
    const { request } = anthropicMessages.parseRequest(client);
    const warnings: string[] = [];
    const body = anthropicMessages.buildRequest(
      request,
      { model: 'claude-opus-4-1', stream: true, defaultMaxTokens: 4096 },
      warnings,
    );
    expect(warnings).toEqual([]);
    expect(body).toEqual({ ...client, model: 'claude-opus-4-1' });
  });

  test('across dialects passthrough is dropped and named; sampling is fitted to Anthropic ranges', () => {
    const { body, warnings } = build({
      temperature: 1.6,
      passthrough: { n: 2, logprobs: true },
    });
    expect(body.temperature).toBe(1);
    expect(body).not.toHaveProperty('n');
    expect(warnings).toEqual([
      "temperature 1.6 is above Anthropic's maximum; sent as 1",
      'n has no Anthropic equivalent; dropped',
      'logprobs has no Anthropic equivalent; dropped',
    ]);
  });

  test('reasoning effort becomes a thinking budget; max_tokens makes room for it', () => {
    const { body, warnings } = build({ reasoning: { effort: 'high' }, temperature: 0.2, topP: 0.5 });
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 16384 });
    expect(body.max_tokens).toBe(16384 + 4096);
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('top_p');
    expect(warnings).toEqual([
      'temperature is not allowed with thinking; dropped',
      'top_p below 0.95 is not allowed with thinking; dropped',
    ]);
  });

  test.each<[string, CanonicalRequest['reasoning'], Record<string, unknown> | undefined]>([
    ['none', { effort: 'none' }, undefined],
    ['minimal', { effort: 'minimal' }, undefined],
    ['low', { effort: 'low' }, { type: 'enabled', budget_tokens: 1024 }],
    ['medium', { effort: 'medium' }, { type: 'enabled', budget_tokens: 4096 }],
    ['xhigh', { effort: 'xhigh' }, { type: 'enabled', budget_tokens: 32768 }],
  ])('an OpenAI effort %s becomes a thinking budget (or none)', (_name, reasoning, thinking) => {
    const { body, warnings } = build({ reasoning });
    expect(body.thinking).toEqual(thinking);
    expect(body).not.toHaveProperty('output_config');
    expect(warnings).toEqual([]);
  });

  test("an Anthropic client's adaptive thinking and output_config.effort are sent back as such", () => {
    const { body, warnings } = build({
      sourceDialect: 'anthropic-messages',
      reasoning: { mode: 'adaptive', effort: 'max', effortParam: 'output_config' },
      passthrough: { output_config: { format: { type: 'json_schema', schema: {} } } },
    });
    expect(body.thinking).toEqual({ type: 'adaptive' });
    expect(body.output_config).toEqual({ effort: 'max', format: { type: 'json_schema', schema: {} } });
    expect(body.max_tokens).toBe(4096);
    expect(warnings).toEqual([]);
    // output_config.effort alone asks for no thinking.
    const effortOnly = build({
      sourceDialect: 'anthropic-messages',
      reasoning: { effort: 'low', effortParam: 'output_config' },
    }).body;
    expect(effortOnly).not.toHaveProperty('thinking');
    expect(effortOnly.output_config).toEqual({ effort: 'low' });
  });

  test('a request another dialect marked untranslatable is refused with a 400 naming the field', () => {
    expect(() =>
      build({
        untranslatable:
          "tool_choice: custom 'apply_patch' can only be honoured by an OpenAI-dialect upstream",
      }),
    ).toThrow(
      new ProviderError({
        type: 'invalid_request',
        message:
          "tool_choice: custom 'apply_patch' can only be honoured by an OpenAI-dialect upstream: this needs an upstream that speaks openai-chat",
      }),
    );
  });

  test('an explicit max_tokens below the budget shrinks the budget, or drops thinking when too small', () => {
    expect(build({ maxTokens: 3000, reasoning: { budgetTokens: 5000 } }).body).toMatchObject({
      max_tokens: 3000,
      thinking: { type: 'enabled', budget_tokens: 2999 },
    });
    const small = build({ maxTokens: 500, reasoning: { budgetTokens: 5000 } });
    expect(small.body).not.toHaveProperty('thinking');
    expect(small.warnings).toEqual([
      'reasoning was not requested: max_tokens 500 leaves no room for a thinking budget',
    ]);
  });

  test('unsigned reasoning is left out of the history; bad tool arguments are sent as {}', () => {
    const { body, warnings } = build({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'q' }] },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', text: 'deepseek reasoning' },
            { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"a":' },
          ],
        },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'q' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'f', input: {} }] },
    ]);
    expect(warnings).toEqual([
      'reasoning without an Anthropic signature was left out of the history',
      'tool call call_1 (f): arguments are not a JSON object; sent as {}',
    ]);
  });

  test('tool_choice is sent only with tools; parallel off alone gives auto + disable_parallel_tool_use', () => {
    expect(build({ toolChoice: { type: 'auto' } }).body).not.toHaveProperty('tool_choice');
    expect(
      build({ tools: [{ name: 't', inputSchema: {} }], parallelToolCalls: false }).body.tool_choice,
    ).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(
      build({ tools: [{ name: 't', inputSchema: {} }], toolChoice: { type: 'tool', name: 't' } }).body
        .tool_choice,
    ).toEqual({ type: 'tool', name: 't' });
  });

  test('a request only an OpenAI upstream can serve is refused with a 400', () => {
    expect(() => build({ requiresSameDialect: 'n > 1' })).toThrow(ProviderError);
    expect(() => build({ requiresSameDialect: 'n > 1' })).toThrow(/n > 1/);
  });
});

describe('reasoning signed for another provider', () => {
  // What a Gemini model's reasoning looks like once it has been through a client: the signature is tagged
  // `gemini-ts:` (see @tokenpak/gemini), and means nothing to Anthropic, which would refuse the request.
  const foreign = 'gemini-ts:CiIB0e2Kb6Syj1a961Ef';

  test('is left out of a translated history, with one warning', () => {
    const { body, warnings } = build({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Go' }] },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', text: 'Gemini thought', signature: foreign },
            { type: 'thinking', text: '', signature: foreign },
            { type: 'thinking', text: 'Claude thought', signature: 'EqQBsig' },
            { type: 'text', text: 'Done.' },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'More' }] },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Go' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Claude thought', signature: 'EqQBsig' },
          { type: 'text', text: 'Done.' },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'More' }] },
    ]);
    expect(warnings).toEqual([
      'reasoning signed for another provider (gemini-ts) was left out of the history',
    ]);
  });

  test("is left out of an Anthropic client's raw body too (a conversation moved from a Gemini alias to Claude)", () => {
    const messages = [
      { role: 'user', content: 'Go' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Gemini thought', signature: foreign },
          { type: 'text', text: 'Done.' },
        ],
      },
      { role: 'user', content: 'More' },
    ];
    const { request } = anthropicMessages.parseRequest({ model: 'alias', max_tokens: 100, messages });
    const warnings: string[] = [];
    const body = anthropicMessages.buildRequest(request, options, warnings);
    expect(body.messages).toEqual([
      messages[0],
      { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] },
      messages[2],
    ]);
    expect(warnings).toEqual([
      'reasoning signed for another provider (gemini-ts) was left out of the history',
    ]);
    // Untouched when there is nothing to drop: the client's own array, as sent.
    const plain = anthropicMessages.parseRequest({
      model: 'alias',
      max_tokens: 100,
      messages: [messages[0]],
    });
    expect(anthropicMessages.buildRequest(plain.request, options).messages).toBe(plain.request.raw?.messages);
  });
});
