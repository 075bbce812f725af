import type { CanonicalRequest } from '@tokenpak/provider';
import { userRequest } from '@tokenpak/provider-utils/test';
import { expect, test } from 'vitest';
import { buildRequest } from '../src/index.ts';

const OPTIONS = { model: 'llama3.2', stream: true, defaultMaxTokens: 1024 };

test('sampling goes to options; max tokens is num_predict; no max tokens, no num_predict', () => {
  const warnings: string[] = [];
  const body = buildRequest(
    userRequest('hi', {
      system: 'Be brief.',
      maxTokens: 64,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stopSequences: ['END'],
    }),
    OPTIONS,
    warnings,
  );
  expect(body).toEqual({
    model: 'llama3.2',
    stream: true,
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hi' },
    ],
    options: { num_predict: 64, temperature: 0.2, top_p: 0.9, top_k: 40, stop: ['END'] },
  });
  expect(warnings).toEqual([]);
  expect(buildRequest(userRequest('hi'), OPTIONS)).not.toHaveProperty('options');
});

test('a tool round trip: tools, assistant tool_calls as objects, tool results with tool_name', () => {
  const request: CanonicalRequest = userRequest('', {
    tools: [{ name: 'get_weather', description: 'Weather', inputSchema: { type: 'object' } }],
    toolChoice: { type: 'required' },
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Oslo?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', text: 'Two calls.' },
          { type: 'tool-call', id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { type: 'tool-call', id: 'c2', name: 'get_weather', arguments: '' },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool-result', toolCallId: 'c1', content: [{ type: 'text', text: '18C' }] },
          { type: 'tool-result', toolCallId: 'c2', content: [{ type: 'text', text: '9C' }] },
        ],
      },
    ],
  });
  const warnings: string[] = [];
  const body = buildRequest(request, OPTIONS, warnings);
  expect(body.tools).toEqual([
    {
      type: 'function',
      function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object' } },
    },
  ]);
  expect(body.messages).toEqual([
    { role: 'user', content: 'Weather in Paris and Oslo?' },
    {
      role: 'assistant',
      content: '',
      thinking: 'Two calls.',
      tool_calls: [
        { function: { name: 'get_weather', arguments: { city: 'Paris' } } },
        { function: { name: 'get_weather', arguments: {} } },
      ],
    },
    { role: 'tool', content: '18C', tool_name: 'get_weather' },
    { role: 'tool', content: '9C', tool_name: 'get_weather' },
  ]);
  expect(warnings).toEqual(['Ollama cannot force a tool call: the tool choice is sent as auto']);
});

test('tool choice none sends no tools', () => {
  const body = buildRequest(
    userRequest('x', { tools: [{ name: 't', inputSchema: {} }], toolChoice: { type: 'none' } }),
    OPTIONS,
  );
  expect(body).not.toHaveProperty('tools');
});

test('images: base64 in images, URLs dropped with a warning', () => {
  const warnings: string[] = [];
  const body = buildRequest(
    userRequest('', {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } },
          ],
        },
      ],
    }),
    OPTIONS,
    warnings,
  );
  expect(body.messages).toEqual([{ role: 'user', content: 'What is this?', images: ['iVBOR'] }]);
  expect(warnings).toEqual(['images given by URL are dropped: Ollama takes base64 images only']);
});

test('reasoning → think', () => {
  const think = (reasoning: CanonicalRequest['reasoning']) =>
    buildRequest(userRequest('x', { reasoning }), OPTIONS).think;
  expect(think(undefined)).toBeUndefined();
  expect(think({ effort: 'none' })).toBe(false);
  expect(think({ effort: 'medium' })).toBe('medium');
  expect(think({ effort: 'max' })).toBe('high');
  expect(think({ budgetTokens: 2048 })).toBe(true);
  expect(think({ mode: 'adaptive' })).toBe(true);
});

test('a request that needs its own dialect is refused with a 400', () => {
  expect(() => buildRequest(userRequest('x', { requiresSameDialect: 'n > 1' }), OPTIONS)).toThrowError(
    expect.objectContaining({ type: 'invalid_request', message: expect.stringContaining('n > 1') }),
  );
});
