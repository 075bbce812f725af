/** Canonical request → Converse body: what maps, what is adjusted, what is dropped (with a warning). */
import type { CanonicalRequest } from '@tokenpak/provider';
import { userRequest } from '@tokenpak/provider-utils/test';
import { describe, expect, test } from 'vitest';
import { buildRequest, parseResponse, wireToolUseId } from '../src/index.ts';
import { converseFixture } from './helpers/fixtures.ts';

const CLAUDE = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
const LLAMA = 'meta.llama3-70b-instruct-v1:0';

function build(request: Partial<CanonicalRequest>, model = CLAUDE) {
  const warnings: string[] = [];
  const body = buildRequest(
    userRequest('Hi', request),
    { model, stream: true, defaultMaxTokens: 1024 },
    warnings,
  );
  return { body, warnings };
}

const weatherTool = { name: 'get_weather', description: 'Weather', inputSchema: { type: 'object' } };

describe('messages', () => {
  test('system, turns merged by role, empty text left out, images as bytes', () => {
    const { body, warnings } = build({
      system: 'Be brief.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: '' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0K' } },
            { type: 'image', source: { kind: 'url', url: 'data:image/jpeg;base64,/9j/4AAQ' } },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } },
          ],
        },
        { role: 'system', content: [{ type: 'text', text: 'Now in French.' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Bonjour' }] },
      ],
    });
    expect(body).toEqual({
      messages: [
        {
          role: 'user',
          content: [
            { text: 'Hi' },
            { image: { format: 'png', source: { bytes: 'iVBORw0K' } } },
            { image: { format: 'jpeg', source: { bytes: '/9j/4AAQ' } } },
          ],
        },
        { role: 'assistant', content: [{ text: 'Bonjour' }] },
      ],
      system: [{ text: 'Be brief.' }, { text: 'Now in French.' }],
    });
    expect(warnings).toEqual([
      'images given by URL are dropped: Converse takes image bytes only',
      'a system turn in the conversation was moved to system (Converse has no system turns)',
    ]);
  });

  test('a tool round trip: toolUse with parsed input, toolResult first in its turn, error status for Claude', () => {
    const messages: CanonicalRequest['messages'] = [
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', text: 'Call it.', signature: 'sig-1' },
          { type: 'redacted-thinking', data: 'cmVkYWN0ZWQ=' },
          { type: 'thinking', text: 'unsigned, from elsewhere' },
          { type: 'thinking', text: 'from Gemini', signature: 'gemini-ts:EpwICpkIAXLI2nx' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool-call', id: 'tooluse_abc', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { type: 'tool-call', id: 'call_9', name: 'get_weather', arguments: '' },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Here:' },
          { type: 'tool-result', toolCallId: 'tooluse_abc', content: [{ type: 'text', text: '18°C' }] },
          { type: 'tool-result', toolCallId: 'call_9', content: [], isError: true },
        ],
      },
    ];
    const { body, warnings } = build({ messages, tools: [weatherTool] });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ text: 'Weather?' }] },
      {
        role: 'assistant',
        content: [
          { reasoningContent: { reasoningText: { text: 'Call it.', signature: 'sig-1' } } },
          { reasoningContent: { redactedContent: 'cmVkYWN0ZWQ=' } },
          { text: 'Checking.' },
          { toolUse: { toolUseId: 'tooluse_abc', name: 'get_weather', input: { city: 'Paris' } } },
          { toolUse: { toolUseId: 'call_9', name: 'get_weather', input: {} } },
        ],
      },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 'tooluse_abc', content: [{ text: '18°C' }] } },
          { toolResult: { toolUseId: 'call_9', content: [{ text: '(no output)' }], status: 'error' } },
          { text: 'Here:' },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({
      tools: [
        {
          toolSpec: {
            name: 'get_weather',
            description: 'Weather',
            inputSchema: { json: { type: 'object' } },
          },
        },
      ],
    });
    expect(warnings).toEqual([
      'reasoning without a signature was left out of the history',
      'reasoning signed for another provider (gemini-ts) was left out of the history',
      "an empty tool result is sent as the text '(no output)': Bedrock refuses blank text",
    ]);
    // Not Claude: no status.
    expect(JSON.stringify(build({ messages, tools: [weatherTool] }, LLAMA).body)).not.toContain('status');
  });

  test('tool ids Bedrock would refuse become a stable hash, the same for the call and its result', () => {
    const long = `call_${'x'.repeat(80)}__ts__EpwICpkIAXLI2nx+/=`;
    const { body } = build({
      messages: [
        { role: 'assistant', content: [{ type: 'tool-call', id: long, name: 'f', arguments: '{}' }] },
        {
          role: 'user',
          content: [{ type: 'tool-result', toolCallId: long, content: [{ type: 'text', text: 'ok' }] }],
        },
      ],
      tools: [{ name: 'f', inputSchema: {} }],
    });
    const sent = JSON.stringify(body.messages);
    const id = wireToolUseId(long);
    expect(id).toMatch(/^tooluse_[A-Za-z0-9_-]{40}$/);
    expect(sent.split(id).length).toBe(3);
    expect(wireToolUseId('tooluse_kZJMlvQmRJ6eAyJE5GIl7Q')).toBe('tooluse_kZJMlvQmRJ6eAyJE5GIl7Q');
  });

  test('tool blocks in the history but no tools: the called tools are declared (Converse requires a toolConfig)', () => {
    const { body, warnings } = build({
      messages: [
        { role: 'assistant', content: [{ type: 'tool-call', id: 't1', name: 'lookup', arguments: '{}' }] },
        {
          role: 'user',
          content: [{ type: 'tool-result', toolCallId: 't1', content: [{ type: 'text', text: 'x' }] }],
        },
      ],
    });
    expect(body.toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'lookup', inputSchema: { json: { type: 'object' } } } }],
    });
    expect(warnings).toHaveLength(1);
  });
});

describe('tools and choice', () => {
  test.each([
    [{ type: 'auto' }, { auto: {} }],
    [{ type: 'required' }, { any: {} }],
    [{ type: 'tool', name: 'get_weather' }, { tool: { name: 'get_weather' } }],
  ] as const)('%j → %j', (choice, wire) => {
    expect(build({ tools: [weatherTool], toolChoice: choice }).body.toolConfig).toMatchObject({
      toolChoice: wire,
    });
  });

  test('none: no tools at all (unless the history has tool blocks); strict and parallel false are warned', () => {
    expect(build({ tools: [weatherTool], toolChoice: { type: 'none' } }).body.toolConfig).toBeUndefined();
    const { warnings } = build({ tools: [{ ...weatherTool, strict: true }], parallelToolCalls: false });
    expect(warnings).toEqual([
      'tools[].strict is dropped: Converse has no strict mode',
      'parallel_tool_calls: false has no Converse equivalent; dropped',
    ]);
  });
});

describe('inference settings and reasoning', () => {
  test('maxTokens, temperature, topP, stop sequences; Claude gets top_k and is asked which stop sequence matched', () => {
    const settings = { maxTokens: 300, temperature: 0.2, topP: 0.9, topK: 40, stopSequences: ['END'] };
    expect(build(settings).body).toMatchObject({
      inferenceConfig: { maxTokens: 300, temperature: 0.2, topP: 0.9, stopSequences: ['END'] },
      additionalModelRequestFields: { top_k: 40 },
      additionalModelResponseFieldPaths: ['/stop_sequence'],
    });
    const llama = build(settings, LLAMA);
    expect(llama.body.additionalModelRequestFields).toBeUndefined();
    expect(llama.body.additionalModelResponseFieldPaths).toBeUndefined();
    expect(llama.warnings).toEqual([`top_k is sent to Claude models only; dropped for ${LLAMA}`]);
  });

  test('no maxTokens asked: none sent (the model default)', () => {
    expect(build({}).body.inferenceConfig).toBeUndefined();
  });

  test('Claude thinking: a budget, room made for it in maxTokens; sampling Claude refuses with thinking dropped', () => {
    const { body, warnings } = build({ reasoning: { budgetTokens: 2048 }, temperature: 0.5, topK: 5 });
    expect(body.additionalModelRequestFields).toEqual({ thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect(body.inferenceConfig).toEqual({ maxTokens: 2048 + 1024 });
    expect(warnings).toEqual([
      'temperature is not allowed with thinking; dropped',
      'top_k is not allowed with thinking; dropped',
    ]);
  });

  test.each([
    [{ effort: 'medium' }, 8000, { thinking: { type: 'enabled', budget_tokens: 4096 } }],
    [{ effort: 'high' }, 8000, { thinking: { type: 'enabled', budget_tokens: 7999 } }],
    [{ mode: 'adaptive' }, 8000, { thinking: { type: 'adaptive' } }],
    [{ effort: 'minimal' }, 8000, undefined],
    [{ budgetTokens: 0 }, 8000, undefined],
  ] as const)('reasoning %j with maxTokens %d → %j', (reasoning, maxTokens, fields) => {
    expect(build({ reasoning, maxTokens }).body.additionalModelRequestFields).toEqual(fields);
  });

  test('a maxTokens with no room for a budget: no thinking, said so; other models: reasoning dropped, said so', () => {
    expect(build({ reasoning: { effort: 'high' }, maxTokens: 500 }).warnings).toEqual([
      'reasoning was not requested: max_tokens 500 leaves no room for a thinking budget',
    ]);
    const llama = build({ reasoning: { effort: 'high' } }, LLAMA);
    expect(llama.body.additionalModelRequestFields).toBeUndefined();
    expect(llama.warnings[0]).toMatch(/^reasoning settings are sent to Claude models only/);
  });

  test('user, passthrough fields: dropped with a warning; a request only its own dialect can serve is refused', () => {
    expect(build({ userId: 'u1', passthrough: { seed: 1, logprobs: true } }).warnings).toEqual([
      'user has no Converse equivalent; dropped',
      'fields with no Converse equivalent are dropped: seed, logprobs',
    ]);
    expect(() => build({ requiresSameDialect: 'n: 2', sourceDialect: 'openai-chat' })).toThrow(
      'n: 2: this needs an upstream that speaks openai-chat',
    );
  });
});

describe('parseResponse', () => {
  test('signed reasoning, text and a tool call; tool_use → tool-calls; cache reads counted in input', () => {
    const response = parseResponse(converseFixture('reasoning-tool-use').body);
    expect(response).toMatchObject({
      model: '',
      content: [
        {
          type: 'reasoning',
          text: 'I need the weather in Paris: call get_weather.',
          signature: 'EqoBCkgIARABGAIiQHb9yq1n2m3k4j5h6g7f8d9s0a1p2o3i4u5y6t7r8e9w0qZ',
        },
        { type: 'text', text: 'Let me look that up.' },
        {
          type: 'tool-call',
          id: 'tooluse_8yYhX2_7Q0uJ9aBcDeFgHi',
          name: 'get_weather',
          arguments: '{"city":"Paris","units":"c"}',
        },
      ],
      finishReason: 'tool-calls',
      usage: { inputTokens: 2078, outputTokens: 64, cacheReadTokens: 2048 },
    });
    expect(response.id).toMatch(/^bedrock-/);
  });

  test('stop_sequence with the matched sequence; a body without output is bad_upstream', () => {
    const response = parseResponse({
      output: { message: { role: 'assistant', content: [{ text: 'one two' }] } },
      stopReason: 'stop_sequence',
      additionalModelResponseFields: { stop_sequence: 'three' },
      usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 },
    });
    expect(response).toMatchObject({ finishReason: 'stop-sequence', stopSequence: 'three' });
    expect(() => parseResponse({ message: 'hi' })).toThrow(/without output.message.content/);
  });
});
