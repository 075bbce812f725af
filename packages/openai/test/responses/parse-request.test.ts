/** Client Responses bodies → canonical requests: what maps, what is kept for a Responses upstream, what is refused. */
import { ProviderError } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { openaiResponses } from '../../src/index.ts';
import { codexBody } from './bodies.ts';

const parse = (body: unknown) => openaiResponses.parseRequest(body);

function refusal(body: unknown): ProviderError {
  try {
    parse(body);
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected a 400');
}

describe('parseRequest', () => {
  test('a string input and instructions', () => {
    const { request, warnings } = parse({
      model: 'm',
      instructions: 'Be brief.',
      input: 'Hi',
      max_output_tokens: 64,
    });
    expect(request).toEqual({
      model: 'm',
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      maxTokens: 64,
      stream: false,
      sourceDialect: 'openai-responses',
      passthrough: {},
      store: true,
      raw: { model: 'm', instructions: 'Be brief.', input: 'Hi', max_output_tokens: 64 },
    });
    expect(warnings).toEqual([]);
  });

  test('a Codex body: canonical for other upstreams, everything kept for a Responses one', () => {
    const { request, warnings } = parse(codexBody);
    expect(request.system).toBe('You are Codex.\n\nSandbox: read-only.');
    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'List the files.' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', text: 'Run ls.', signature: 'gAAAA-opaque' },
          { type: 'tool-call', id: 'call_1', name: 'shell', arguments: '{"command":["ls"]}' },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'text', text: 'README.md\nsrc' }] },
        ],
      },
    ]);
    expect(request.tools).toEqual([
      {
        name: 'shell',
        description: 'Runs a command',
        strict: false,
        inputSchema: { type: 'object', properties: { command: { type: 'array' } } },
      },
    ]);
    expect(request.toolChoice).toEqual({ type: 'auto' });
    expect(request.parallelToolCalls).toBe(false);
    expect(request.reasoning).toEqual({ effort: 'medium' });
    expect(request.stream).toBe(true);
    expect(request.requiresSameDialect).toBeUndefined();
    expect(request.native).toEqual({
      dialect: 'openai-responses',
      messages: codexBody.input,
      system: 'You are Codex.',
      tools: codexBody.tools,
    });
    // Conversation state is canonical (the proxy keeps it for upstreams that do not).
    expect(request.store).toBe(false);
    expect(request.passthrough).toEqual({
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'session-1',
      client_metadata: { origin: 'codex' },
      text: { verbosity: 'low' },
      made_up_field: { anything: [1, 2] },
      reasoning: { effort: 'medium', summary: 'auto' },
    });
    expect(warnings).toEqual([
      'tools[1]: the web_search tool runs only on OpenAI Responses upstreams (dropped for others)',
      "tools[2]: the 'mcp__files' namespace tool runs only on OpenAI Responses upstreams (dropped for others)",
      'reasoning.summary is only passed to OpenAI Responses upstreams',
    ]);
  });

  test('a plain conversation is not lossy (no native copy)', () => {
    const { request } = parse({
      model: 'm',
      input: [
        { role: 'user', content: 'Weather?' },
        { type: 'function_call', call_id: 'c1', name: 'weather', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'sunny' },
        { type: 'function_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'warm' }] },
        { role: 'assistant', content: [{ type: 'output_text', text: 'Sunny and warm.' }] },
      ],
      tools: [{ type: 'function', name: 'weather', parameters: { type: 'object' } }],
    });
    expect(request.native).toBeUndefined();
    expect(request.tools?.[0]).toEqual({ name: 'weather', inputSchema: { type: 'object' } });
    expect(request.messages.map((m) => [m.role, m.content.map((p) => p.type)])).toEqual([
      ['user', ['text']],
      ['assistant', ['tool-call']],
      ['user', ['tool-result', 'tool-result']],
      ['assistant', ['text']],
    ]);
  });

  test('images: data URLs become base64, other URLs stay URLs, file_id images are Responses-only', () => {
    const { request, warnings } = parse({
      model: 'm',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_image', image_url: 'data:image/png;base64,iVBOR', detail: 'auto' },
            { type: 'input_image', image_url: 'https://example.com/a.jpg' },
            { type: 'input_image', file_id: 'file-1' },
          ],
        },
      ],
    });
    expect(request.messages[0]?.content).toEqual([
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
      { type: 'image', source: { kind: 'url', url: 'https://example.com/a.jpg' } },
    ]);
    expect(request.native?.messages).toBeDefined();
    expect(warnings).toEqual([
      'input[0].content[2]: an image given by file_id is sent only to OpenAI Responses upstreams (dropped for others)',
    ]);
  });

  test('unknown items, parts and roles are never refused: kept for Responses, named for others', () => {
    const input = [
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'a' },
          { type: 'made_up_part', x: 1 },
        ],
      },
      { type: 'item_reference', id: 'msg_1' },
      { type: 'made_up_item', payload: true },
      { role: 'made_up_role', content: 'b' },
      { role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] },
    ];
    const { request, warnings } = parse({ model: 'm', input });
    expect(request.native?.messages).toBe(input);
    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'a' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'No.' }] },
    ]);
    expect(warnings).toEqual([
      "input[0].content[1]: a 'made_up_part' content part is sent only to OpenAI Responses upstreams (dropped for others)",
      "input[1]: a 'item_reference' item is sent only to OpenAI Responses upstreams (dropped for others)",
      "input[2]: a 'made_up_item' item is sent only to OpenAI Responses upstreams (dropped for others)",
      "input[3].role: a 'made_up_role' message is sent only to OpenAI Responses upstreams (dropped for others)",
      'input[4].content[0]: an earlier refusal is sent as text',
    ]);
  });

  test('a developer message mid-conversation joins the system prompt (canonical has no system role)', () => {
    const { request, warnings } = parse({
      model: 'm',
      input: [
        { role: 'user', content: 'one' },
        { role: 'developer', content: 'Now answer in French.' },
        { role: 'user', content: 'two' },
      ],
    });
    expect(request.system).toBe('Now answer in French.');
    expect(request.messages).toHaveLength(2);
    expect(request.native?.messages).toHaveLength(3);
    expect(warnings[0]).toMatch(
      /input\[1\]: a developer message after the conversation started joins the system/,
    );
  });

  test('tool_choice: function, allowed_tools, and a forced hosted tool', () => {
    expect(
      parse({ model: 'm', input: 'x', tool_choice: { type: 'function', name: 'f' } }).request.toolChoice,
    ).toEqual({
      type: 'tool',
      name: 'f',
    });
    const allowed = { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'f' }] };
    const parsed = parse({ model: 'm', input: 'x', tool_choice: allowed });
    expect(parsed.request.toolChoice).toEqual({ type: 'required' });
    expect(parsed.request.passthrough.tool_choice).toBe(allowed);
    expect(parsed.warnings[0]).toMatch(/allowed_tools/);

    const forced = parse({
      model: 'm',
      input: 'x',
      tools: [{ type: 'web_search' }],
      tool_choice: { type: 'web_search' },
    });
    expect(forced.request.requiresSameDialect).toBe(
      'tool_choice forces the web_search tool, which only an OpenAI Responses upstream can run',
    );
    expect(forced.request.toolChoice).toBeUndefined();
    expect(forced.request.passthrough.tool_choice).toEqual({ type: 'web_search' });
  });

  test.each([
    [{ background: true }, /background/],
    [{ conversation: 'conv_1' }, /conversation/],
    [{ prompt: { id: 'pmpt_1' } }, /prompt templates/],
    [{ top_logprobs: 3 }, /logprobs/],
    [{ include: ['message.output_text.logprobs'] }, /logprobs/],
  ])('%o needs a Responses upstream', (extra, reason) => {
    expect(parse({ model: 'm', input: 'x', ...extra }).request.requiresSameDialect).toMatch(reason);
  });

  test('reasoning effort values canonical cannot carry stay in passthrough', () => {
    const { request, warnings } = parse({ model: 'm', input: 'x', reasoning: { effort: 'ultra' } });
    expect(request.reasoning).toBeUndefined();
    expect(request.passthrough.reasoning).toEqual({ effort: 'ultra' });
    expect(warnings).toEqual(["reasoning.effort 'ultra' is only passed to OpenAI Responses upstreams"]);
  });

  test.each(['none', 'minimal', 'low', 'medium', 'high', 'xhigh'])(
    'reasoning.effort %s is canonical',
    (effort) => {
      const { request, warnings } = parse({ model: 'm', input: 'x', reasoning: { effort } });
      expect(request.reasoning).toEqual({ effort });
      expect(request.passthrough).toEqual({});
      expect(warnings).toEqual([]);
    },
  );

  test.each<[string, Record<string, unknown>, string | undefined]>([
    ['a hosted tool by type', { tool_choice: { type: 'web_search' } }, 'the web_search tool'],
    [
      'a namespace by name',
      { tool_choice: { type: 'function', name: 'mcp__files' } },
      "the 'mcp__files' tool",
    ],
    ['a function by name', { tool_choice: { type: 'function', name: 'shell' } }, undefined],
    ['required with a function tool', { tool_choice: 'required' }, undefined],
    [
      'required with hosted tools only',
      {
        tool_choice: 'required',
        tools: [{ type: 'web_search' }, { type: 'namespace', name: 'mcp__files', tools: [] }],
      },
      "one of 'web_search', 'mcp__files' (required, and no function tool is given)",
    ],
  ])('a tool_choice that forces %s', (_name, extra, forced) => {
    const tools = [
      { type: 'function', name: 'shell', parameters: { type: 'object' } },
      { type: 'web_search' },
      { type: 'namespace', name: 'mcp__files', tools: [] },
    ];
    const { request } = parse({ model: 'm', input: 'x', tools, ...extra });
    expect(request.requiresSameDialect).toBe(
      forced === undefined
        ? undefined
        : `tool_choice forces ${forced}, which only an OpenAI Responses upstream can run`,
    );
  });

  test('no input at all is accepted (previous_response_id / prompt carry it)', () => {
    const { request } = parse({ model: 'm', previous_response_id: 'resp_1' });
    expect(request.messages).toEqual([]);
    expect(request.previousResponseId).toBe('resp_1');
  });

  test.each([
    [null, 'body'],
    [{ input: 'x' }, 'model'],
    [{ model: 'm', input: 5 }, 'input'],
    [{ model: 'm', input: [7] }, 'input[0]'],
    [{ model: 'm', input: [{ type: 'function_call', name: 'f' }] }, 'input[0].call_id'],
    [{ model: 'm', input: [{ type: 'function_call_output', output: 'x' }] }, 'input[0].call_id'],
    [
      { model: 'm', input: [{ role: 'user', content: [{ type: 'input_text' }] }] },
      'input[0].content[0].text',
    ],
    [{ model: 'm', input: 'x', tools: [{ type: 'function' }] }, 'tools[0].name'],
    [{ model: 'm', input: 'x', tool_choice: 'sometimes' }, 'tool_choice'],
    [{ model: 'm', input: 'x', temperature: 3 }, 'temperature'],
    [{ model: 'm', input: 'x', max_output_tokens: 0 }, 'max_output_tokens'],
    [{ model: 'm', input: 'x', instructions: 5 }, 'instructions'],
  ])('400 naming the field: %j', (body, param) => {
    const error = refusal(body);
    expect(error.type).toBe('invalid_request');
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
  });
});
