/**
 * Canonical → Responses upstream bodies, with the wire on both sides: a Responses client to a Responses
 * upstream (unchanged but for the model), a Responses client to a Chat Completions upstream, a Chat Completions
 * client and an Anthropic-shaped request to a Responses upstream.
 */
import type { CanonicalRequest } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { expect, test } from 'vitest';
import { openaiChat, openaiResponses } from '../../src/index.ts';
import { codexBody } from './bodies.ts';

const options = { model: 'upstream-model', stream: true, defaultMaxTokens: 4096 };

test('same dialect: the Codex body reaches a Responses upstream unchanged but for the model', () => {
  const { request } = openaiResponses.parseRequest(codexBody);
  const warnings: string[] = [];
  const body = openaiResponses.buildRequest(request, options, warnings);
  expect(body).toEqual({ ...codexBody, model: 'upstream-model' });
  expect(warnings).toEqual([]);
});

test('same dialect, nothing lossy: rebuilt from canonical, passthrough re-applied', () => {
  const client = {
    model: 'alias',
    instructions: 'Be brief.',
    input: [
      { role: 'user', content: 'Weather in Paris?' },
      { type: 'function_call', call_id: 'c1', name: 'weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'c1', output: 'sunny' },
    ],
    tools: [{ type: 'function', name: 'weather', parameters: { type: 'object' } }],
    tool_choice: { type: 'allowed_tools', mode: 'auto', tools: [{ type: 'function', name: 'weather' }] },
    max_output_tokens: 8,
    store: false,
    stream: false,
  };
  const { request } = openaiResponses.parseRequest(client);
  expect(request.native).toBeUndefined();
  // The client's own body, only the model changed.
  expect(openaiResponses.buildRequest(request, { ...options, stream: false })).toEqual({
    ...client,
    model: 'upstream-model',
  });
  // Without the raw body (a request built by hand), the same body is rebuilt from canonical.
  const { raw: _raw, ...canonicalOnly } = request;
  expect(openaiResponses.buildRequest(canonicalOnly, { ...options, stream: false })).toEqual({
    model: 'upstream-model',
    instructions: 'Be brief.',
    input: [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris?' }] },
      { type: 'function_call', call_id: 'c1', name: 'weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'c1', output: 'sunny' },
    ],
    // strict left out: the Responses upstream applies its own default, as for the client.
    tools: [{ type: 'function', name: 'weather', parameters: { type: 'object' } }],
    tool_choice: client.tool_choice,
    max_output_tokens: 8,
    store: false,
    stream: false,
  });
});

test('Responses client → Chat Completions upstream: hosted tools and Responses-only fields dropped, named', () => {
  const { request, warnings } = openaiResponses.parseRequest(codexBody);
  const body = openaiChat.buildRequest(request, options, warnings);
  expect(body).toEqual({
    model: 'upstream-model',
    messages: [
      { role: 'system', content: 'You are Codex.\n\nSandbox: read-only.' },
      { role: 'user', content: 'List the files.' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'shell', arguments: '{"command":["ls"]}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'README.md\nsrc' },
    ],
    tools: [
      {
        type: 'function',
        function: {
          name: 'shell',
          description: 'Runs a command',
          parameters: { type: 'object', properties: { command: { type: 'array' } } },
          strict: false,
        },
      },
    ],
    parallel_tool_calls: false,
    tool_choice: 'auto',
    reasoning_effort: 'medium',
    stream: true,
    stream_options: { include_usage: true },
  });
  expect(warnings).toContain(
    'tools[1]: the web_search tool runs only on OpenAI Responses upstreams (dropped for others)',
  );
  expect(warnings).toContain(
    'thinking parts of assistant messages are dropped: OpenAI cannot take them back',
  );
  expect(warnings.find((w) => w.startsWith('dropped (no OpenAI equivalent)'))).toMatch(
    /include, prompt_cache_key, client_metadata, made_up_field, reasoning, text/,
  );
});

test('Chat Completions client → Responses upstream', () => {
  const { request } = openaiChat.parseRequest({
    model: 'alias',
    messages: [
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:' },
          { type: 'image_url', image_url: { url: 'https://x/y.png' } },
        ],
      },
      {
        role: 'assistant',
        content: 'Calling.',
        tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'zoom', arguments: '{"x":2}' } }],
      },
      { role: 'tool', tool_call_id: 'call_9', content: 'zoomed' },
    ],
    tools: [{ type: 'function', function: { name: 'zoom', parameters: { type: 'object' } } }],
    tool_choice: { type: 'function', function: { name: 'zoom' } },
    max_completion_tokens: 500,
    reasoning_effort: 'low',
    stop: ['END'],
    user: 'u-1',
    seed: 7,
    stream: true,
  });
  const warnings: string[] = [];
  expect(openaiResponses.buildRequest(request, options, warnings)).toEqual({
    model: 'upstream-model',
    instructions: 'Be brief.',
    input: [
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'Look:' },
          { type: 'input_image', image_url: 'https://x/y.png', detail: 'auto' },
        ],
      },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Calling.' }] },
      { type: 'function_call', call_id: 'call_9', name: 'zoom', arguments: '{"x":2}' },
      { type: 'function_call_output', call_id: 'call_9', output: 'zoomed' },
    ],
    tools: [{ type: 'function', name: 'zoom', parameters: { type: 'object' }, strict: false }],
    tool_choice: { type: 'function', name: 'zoom' },
    max_output_tokens: 500,
    user: 'u-1',
    reasoning: { effort: 'low' },
    stream: true,
  });
  expect(warnings).toEqual([
    'stop sequences are dropped: the Responses API has no stop parameter',
    'dropped (no Responses equivalent): seed',
  ]);
});

test('an Anthropic-shaped request → Responses upstream: budget → effort, signed thinking dropped, minimums', () => {
  const request: CanonicalRequest = {
    model: 'alias',
    system: 'Be brief.',
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', text: 'hm', signature: 'anthropic-sig' },
          { type: 'redacted-thinking', data: 'opaque' },
          { type: 'text', text: 'Hello' },
          { type: 'tool-call', id: 'toolu_1', name: 'now', arguments: '' },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'toolu_1',
            isError: true,
            content: [
              { type: 'text', text: 'failed' },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAA' } },
            ],
          },
          { type: 'text', text: 'Try again' },
        ],
      },
    ],
    maxTokens: 10,
    topK: 5,
    reasoning: { budgetTokens: 4096 },
    stream: false,
    sourceDialect: 'anthropic-messages',
    passthrough: { container: 'c1' },
  };
  const warnings: string[] = [];
  expect(openaiResponses.buildRequest(request, { ...options, stream: false }, warnings)).toEqual({
    model: 'upstream-model',
    instructions: 'Be brief.',
    input: [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello' }] },
      { type: 'function_call', call_id: 'toolu_1', name: 'now', arguments: '{}' },
      {
        type: 'function_call_output',
        call_id: 'toolu_1',
        output: [
          { type: 'input_text', text: 'failed' },
          { type: 'input_image', image_url: 'data:image/png;base64,AAA', detail: 'auto' },
        ],
      },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Try again' }] },
    ],
    max_output_tokens: 16,
    reasoning: { effort: 'medium' },
    stream: false,
  });
  expect(warnings).toEqual([
    'thinking parts of assistant messages are dropped: OpenAI cannot take them back',
    'redacted-thinking parts of assistant messages are dropped: OpenAI cannot take them back',
    'a tool result marked as an error is sent as a plain function_call_output',
    "max_output_tokens is raised to 16, OpenAI's minimum",
    'top_k is dropped: the Responses API has no such parameter',
    "the reasoning budget of 4096 tokens is sent as reasoning.effort 'medium'",
    'dropped (no Responses equivalent): container',
  ]);
});

test('a request that needs its own dialect is refused by another builder', () => {
  const { request } = openaiChat.parseRequest({
    model: 'm',
    messages: [{ role: 'user', content: 'x' }],
    n: 2,
  });
  expect(() => openaiResponses.buildRequest(request, options)).toThrow(ProviderError);
});

test('reasoning signed for another provider (gemini-ts:) never reaches OpenAI, canonical or raw', () => {
  const foreign = 'gemini-ts:CiIB0e2Kb6Syj1a961Ef';
  const input = [
    { role: 'user', content: 'Go' },
    { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: foreign },
    { type: 'reasoning', id: 'rs_2', summary: [], encrypted_content: 'gAAAAABopenai' },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Done.' }] },
    { role: 'user', content: 'More' },
  ];
  const { request } = openaiResponses.parseRequest({ model: 'alias', input });
  const warnings: string[] = [];
  const raw = openaiResponses.buildRequest(request, options, warnings);
  expect(raw.input).toEqual([input[0], input[2], input[3], input[4]]);
  expect(warnings).toEqual(['reasoning signed for another provider (gemini-ts) was left out of the input']);

  const translated: string[] = [];
  const body = openaiResponses.buildRequest(
    {
      model: 'alias',
      stream: true,
      sourceDialect: 'openai-responses',
      passthrough: {},
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Go' }] },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', text: '', signature: foreign },
            { type: 'text', text: 'Done.' },
          ],
        },
      ],
    },
    options,
    translated,
  );
  expect(JSON.stringify(body.input)).not.toContain('gemini-ts');
  expect(translated).toEqual(['reasoning signed for another provider (gemini-ts) was left out of the input']);
});
