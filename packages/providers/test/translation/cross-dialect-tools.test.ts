/**
 * Tools only one dialect can run, and cache hints, across dialects, wire to wire: a client body →
 * parseRequest → buildRequest for another dialect → the upstream body compared whole, the warnings exactly.
 *
 * - Server / hosted / custom tools the upstream cannot run are dropped, each named in a warning, when the
 *   request does not depend on them.
 * - A `tool_choice` that forces one is refused with a 400 naming `tool_choice` (the builder throws; the
 *   server answers the same before building, see `requiresSameDialect` / `untranslatable`).
 * - Anthropic `cache_control` is dropped toward OpenAI with no warning and no error.
 */

import { anthropicMessages } from '@tokenpak/anthropic';
import { openaiChat, openaiResponses } from '@tokenpak/openai';
import { type Dialect, ProviderError } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';

function translate(client: Dialect, upstream: Dialect, body: Record<string, unknown>, model: string) {
  const { request, warnings } = client.parseRequest(body);
  const built = upstream.buildRequest(request, { model, stream: false, defaultMaxTokens: 4096 }, warnings);
  return { request, upstream: built, warnings };
}

/** The 400 a builder throws, as the client would hear it. */
function refusal(client: Dialect, upstream: Dialect, body: Record<string, unknown>): ProviderError {
  try {
    translate(client, upstream, body, 'target-model');
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ type: 'invalid_request', status: 400 });
    expect(client.encodeError(error as ProviderError).status).toBe(400);
    return error as ProviderError;
  }
  throw new Error('expected buildRequest to refuse the request');
}

const SCHEMA = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

const ANTHROPIC_TOOLS = [
  { name: 'get_weather', description: 'Weather', input_schema: SCHEMA, cache_control: { type: 'ephemeral' } },
  { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
  { type: 'code_execution_20250825', name: 'code_execution' },
];
const ANTHROPIC_TOOL_WARNINGS = [
  "tools.1: server tool 'web_search' (web_search_20250305) is sent only to Anthropic upstreams (dropped for others)",
  "tools.2: server tool 'code_execution' (code_execution_20250825) is sent only to Anthropic upstreams (dropped for others)",
];

/** Claude Code style: cache_control on system, message blocks and tools, plus server tools. */
const anthropicBody = (extra: Record<string, unknown> = {}) => ({
  model: 'claude-alias',
  max_tokens: 1000,
  system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
  messages: [
    {
      role: 'user',
      content: [{ type: 'text', text: 'Weather in Paris?', cache_control: { type: 'ephemeral', ttl: '1h' } }],
    },
  ],
  tools: ANTHROPIC_TOOLS,
  ...extra,
});

const CHAT_FUNCTION = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather', parameters: SCHEMA },
};

describe('Anthropic client → Chat Completions upstream', () => {
  test('server tools are dropped, each named; cache_control is dropped silently', () => {
    const { upstream, warnings } = translate(anthropicMessages, openaiChat, anthropicBody(), 'gpt-4o');
    expect(upstream).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
      ],
      tools: [CHAT_FUNCTION],
      max_tokens: 1000,
      stream: false,
    });
    expect(warnings).toEqual(ANTHROPIC_TOOL_WARNINGS);
  });

  test('tool_choice any with a function tool left: the function is required', () => {
    const body = anthropicBody({ tool_choice: { type: 'any' } });
    const { upstream, warnings } = translate(anthropicMessages, openaiChat, body, 'gpt-4o');
    expect(upstream.tool_choice).toBe('required');
    expect(upstream.tools).toEqual([CHAT_FUNCTION]);
    expect(warnings).toEqual(ANTHROPIC_TOOL_WARNINGS);
  });

  test('a tool_choice forcing a server tool is a 400 naming tool_choice', () => {
    const body = anthropicBody({ tool_choice: { type: 'tool', name: 'web_search' } });
    expect(refusal(anthropicMessages, openaiChat, body).message).toBe(
      "tool_choice: forces the server tool 'web_search', which only an Anthropic upstream can run: " +
        'this needs an upstream that speaks anthropic-messages',
    );
  });

  test('tool_choice any with only server tools depends on them: 400', () => {
    const body = anthropicBody({ tools: ANTHROPIC_TOOLS.slice(1), tool_choice: { type: 'any' } });
    expect(refusal(anthropicMessages, openaiChat, body).message).toMatch(
      /^tool_choice: 'any' can only pick a server tool here/,
    );
  });
});

describe('Anthropic client → Responses upstream', () => {
  test('server tools are dropped, each named; cache_control is dropped silently', () => {
    const { upstream, warnings } = translate(anthropicMessages, openaiResponses, anthropicBody(), 'gpt-5');
    expect(upstream).toEqual({
      model: 'gpt-5',
      instructions: 'Be brief.',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris?' }] },
      ],
      tools: [
        { type: 'function', name: 'get_weather', description: 'Weather', parameters: SCHEMA, strict: false },
      ],
      max_output_tokens: 1000,
      stream: false,
    });
    expect(warnings).toEqual(ANTHROPIC_TOOL_WARNINGS);
  });

  test('a tool_choice forcing a server tool is a 400 naming tool_choice', () => {
    const body = anthropicBody({ tool_choice: { type: 'tool', name: 'code_execution' } });
    expect(refusal(anthropicMessages, openaiResponses, body).message).toBe(
      "tool_choice: forces the server tool 'code_execution', which only an Anthropic upstream can run: " +
        'this needs an upstream that speaks anthropic-messages',
    );
  });

  test('Anthropic → Anthropic: server tools, tool_choice and cache_control reach the upstream as sent', () => {
    const body = anthropicBody({ tool_choice: { type: 'tool', name: 'web_search' } });
    const { upstream } = translate(anthropicMessages, anthropicMessages, body, 'claude-sonnet-4-5');
    expect(upstream).toEqual({ ...body, model: 'claude-sonnet-4-5', stream: false });
  });
});

const CUSTOM_TOOL = { type: 'custom', custom: { name: 'apply_patch', description: 'Edit files' } };
const chatBody = (extra: Record<string, unknown> = {}) => ({
  model: 'gpt-alias',
  messages: [{ role: 'user', content: 'Fix the bug.' }],
  tools: [CHAT_FUNCTION, CUSTOM_TOOL],
  ...extra,
});
const CHAT_CUSTOM_WARNING =
  "tools[1]: the 'apply_patch' custom tool is sent only to OpenAI-dialect upstreams (dropped for others)";

describe('Chat Completions client → Anthropic upstream', () => {
  test('a custom tool is dropped with a warning naming it', () => {
    const { upstream, warnings } = translate(openaiChat, anthropicMessages, chatBody(), 'claude-sonnet-4-5');
    expect(upstream).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Fix the bug.' }] }],
      tools: [{ name: 'get_weather', description: 'Weather', input_schema: SCHEMA }],
      stream: false,
    });
    expect(warnings).toEqual([CHAT_CUSTOM_WARNING]);
  });

  test('a tool_choice forcing the custom tool is a 400 naming tool_choice', () => {
    const body = chatBody({ tool_choice: { type: 'custom', custom: { name: 'apply_patch' } } });
    expect(refusal(openaiChat, anthropicMessages, body).message).toBe(
      "tool_choice: custom 'apply_patch' can only be honoured by an OpenAI-dialect upstream: " +
        'this needs an upstream that speaks openai-chat',
    );
  });

  test('Chat → Chat: the custom tool and its tool_choice reach the upstream as sent', () => {
    const body = chatBody({ tool_choice: { type: 'custom', custom: { name: 'apply_patch' } } });
    const { upstream, warnings } = translate(openaiChat, openaiChat, body, 'gpt-5');
    expect(upstream).toEqual({ ...body, model: 'gpt-5', stream: false });
    expect(warnings).toEqual([CHAT_CUSTOM_WARNING]);
  });
});

describe('Chat Completions client → Responses upstream', () => {
  test('a custom tool is dropped with a warning naming it', () => {
    const { upstream, warnings } = translate(openaiChat, openaiResponses, chatBody(), 'gpt-5');
    expect(upstream).toEqual({
      model: 'gpt-5',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Fix the bug.' }] }],
      tools: [
        { type: 'function', name: 'get_weather', description: 'Weather', parameters: SCHEMA, strict: false },
      ],
      stream: false,
    });
    expect(warnings).toEqual([CHAT_CUSTOM_WARNING]);
  });

  test("tool_choice 'required' with only the custom tool is a 400 naming tool_choice", () => {
    const body = chatBody({ tools: [CUSTOM_TOOL], tool_choice: 'required' });
    expect(refusal(openaiChat, openaiResponses, body).message).toBe(
      "tool_choice: 'required' can only pick 'apply_patch' here, which only an OpenAI-dialect upstream can run: " +
        'this needs an upstream that speaks openai-chat',
    );
  });
});

/** Codex style: function, namespace and web_search tools. */
const RESPONSES_TOOLS = [
  { type: 'function', name: 'shell', description: 'Run a command', parameters: SCHEMA, strict: false },
  { type: 'namespace', name: 'mcp__files', tools: [{ type: 'function', name: 'read', parameters: SCHEMA }] },
  { type: 'web_search' },
];
const RESPONSES_TOOL_WARNINGS = [
  "tools[1]: the 'mcp__files' namespace tool runs only on OpenAI Responses upstreams (dropped for others)",
  'tools[2]: the web_search tool runs only on OpenAI Responses upstreams (dropped for others)',
];
const responsesBody = (extra: Record<string, unknown> = {}) => ({
  model: 'gpt-alias',
  input: 'List the files.',
  tools: RESPONSES_TOOLS,
  ...extra,
});

describe('Responses client → Chat Completions upstream', () => {
  test('namespace and web_search tools are dropped, each named', () => {
    const { upstream, warnings } = translate(openaiResponses, openaiChat, responsesBody(), 'gpt-4o');
    expect(upstream).toEqual({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'List the files.' }],
      tools: [
        {
          type: 'function',
          function: { name: 'shell', description: 'Run a command', parameters: SCHEMA, strict: false },
        },
      ],
      stream: false,
    });
    expect(warnings).toEqual(RESPONSES_TOOL_WARNINGS);
  });

  test.each<[string, unknown, string]>([
    ['web_search by type', { type: 'web_search' }, 'the web_search tool'],
    ['the namespace by name', { type: 'function', name: 'mcp__files' }, "the 'mcp__files' tool"],
  ])('a tool_choice forcing %s is a 400 naming tool_choice', (_name, choice, what) => {
    const body = responsesBody({ tool_choice: choice });
    expect(refusal(openaiResponses, openaiChat, body).message).toBe(
      `tool_choice forces ${what}, which only an OpenAI Responses upstream can run: ` +
        'this needs an upstream that speaks openai-responses',
    );
  });
});

describe('Responses client → Anthropic upstream', () => {
  test('namespace and web_search tools are dropped, each named', () => {
    const { upstream, warnings } = translate(openaiResponses, anthropicMessages, responsesBody(), 'claude-x');
    expect(upstream).toEqual({
      model: 'claude-x',
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'List the files.' }] }],
      tools: [{ name: 'shell', description: 'Run a command', input_schema: SCHEMA }],
      stream: false,
    });
    expect(warnings).toEqual(RESPONSES_TOOL_WARNINGS);
  });

  test("tool_choice 'required' with only hosted tools is a 400 naming tool_choice", () => {
    const body = responsesBody({ tools: RESPONSES_TOOLS.slice(1), tool_choice: 'required' });
    expect(refusal(openaiResponses, anthropicMessages, body).message).toBe(
      "tool_choice forces one of 'mcp__files', 'web_search' (required, and no function tool is given), " +
        'which only an OpenAI Responses upstream can run: this needs an upstream that speaks openai-responses',
    );
  });

  test('a function tool_choice still maps', () => {
    const body = responsesBody({ tool_choice: { type: 'function', name: 'shell' } });
    const { upstream, warnings } = translate(openaiResponses, anthropicMessages, body, 'claude-x');
    expect(upstream.tool_choice).toEqual({ type: 'tool', name: 'shell' });
    expect(warnings).toEqual(RESPONSES_TOOL_WARNINGS);
  });
});
