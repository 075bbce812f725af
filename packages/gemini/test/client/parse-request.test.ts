/** The client half, inbound: a Gemini `GenerateContentRequest` (and its URL) → the canonical request. */
import { ProviderError } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { parseRawRequest, parseRequest, REASONING_SIGNATURE_PREFIX, readTarget } from '../../src/index.ts';

const target = (path: string, query = '') => ({ path, query: new URLSearchParams(query) });
const streamed = target('/v1beta/models/gem-flash:streamGenerateContent', 'alt=sse');
const user = (text: string) => ({ role: 'user', parts: [{ text }] });

function refused(body: unknown): ProviderError {
  try {
    parseRequest(body, streamed);
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected a 400');
}

describe('readTarget: the URL names the model, the operation and the framing', () => {
  test.each([
    ['/v1beta/models/gem:generateContent', '', { operation: 'generate', model: 'gem', stream: false }],
    [
      '/v1/models/gem:streamGenerateContent',
      'alt=sse',
      { operation: 'generate', model: 'gem', stream: true, framing: 'sse' },
    ],
    [
      '/v1beta/models/gem:streamGenerateContent',
      '',
      { operation: 'generate', model: 'gem', stream: true, framing: 'json-array' },
    ],
    ['/v1beta/models/gem:countTokens', 'key=k', { operation: 'count-tokens', model: 'gem', stream: false }],
    [
      '/v1beta/models/openai%2Fgpt-4o:generateContent',
      '',
      { operation: 'generate', model: 'openai/gpt-4o', stream: false },
    ],
    ['/v1beta/models/tag:v2:generateContent', '', { operation: 'generate', model: 'tag:v2', stream: false }],
  ])('%s?%s', (path, query, expected) => {
    expect(readTarget(target(path, query))).toEqual(expected);
  });

  test.each([
    '/v1beta/models/gem:embedContent',
    '/v1beta/models/gem',
    '/v1beta/models/:generateContent',
    '/v1/chat',
  ])('%s is none of its operations', (path) => expect(readTarget(target(path))).toBeUndefined());
});

describe('parseRequest', () => {
  test('model and stream come from the URL; the body is kept whole as raw', () => {
    const body = { contents: [user('Hi')], futureField: { x: 1 } };
    const { request, warnings } = parseRequest(body, streamed);
    expect(request).toMatchObject({
      model: 'gem-flash',
      stream: true,
      sourceDialect: 'gemini',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      passthrough: { futureField: { x: 1 } },
    });
    expect(request.raw).toBe(body);
    expect(warnings).toEqual([]);
  });

  test('without a target, the model is read from the body (models/ prefix optional)', () => {
    const { request } = parseRequest({ model: 'models/gem', contents: [user('Hi')] });
    expect(request.model).toBe('gem');
    expect(request.stream).toBe(false);
  });

  test('systemInstruction, roles, images, documents, and snake_case spellings', () => {
    const { request, warnings } = parseRequest(
      {
        system_instruction: { parts: [{ text: 'Be brief.' }, { text: 'Be kind.' }] },
        contents: [
          {
            parts: [
              { text: 'What is this?' },
              { inline_data: { mime_type: 'image/png', data: 'AAAA' } },
              { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/cat.jpg' } },
              {
                fileData: {
                  mimeType: 'image/jpeg',
                  fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc',
                },
              },
              { inlineData: { mimeType: 'application/pdf', data: 'JVBE' } },
              { fileData: { mimeType: 'text/plain', fileUri: 'https://example.com/notes.txt' } },
              { inlineData: { mimeType: 'audio/mp3', data: 'SUQz' } },
            ],
          },
          { role: 'model', parts: [{ text: 'A cat.' }] },
          user('Thanks'),
        ],
      },
      streamed,
    );
    expect(request.system).toBe('Be brief.\n\nBe kind.');
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' } },
          { type: 'document', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBE' } },
          {
            type: 'document',
            source: { kind: 'url', url: 'https://example.com/notes.txt', mediaType: 'text/plain' },
          },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'A cat.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
    ]);
    expect(warnings).toEqual([
      "contents[0].parts[3]: the file 'https://generativelanguage.googleapis.com/v1beta/files/abc' is sent only to Gemini upstreams (dropped for others)",
      "contents[0].parts[6]: inline data of type 'audio/mp3' is sent only to Gemini upstreams (dropped for others)",
    ]);
  });

  test('function calls and responses pair by name and order; thought signatures become tagged thinking parts', () => {
    const { request } = parseRequest(
      {
        contents: [
          user('Weather in Paris and London?'),
          {
            role: 'model',
            parts: [
              { text: 'Let me think.', thought: true },
              {
                functionCall: { name: 'get_weather', args: { city: 'Paris' } },
                thoughtSignature: 'c2lnMQ==',
              },
              { functionCall: { name: 'get_weather', args: { city: 'London' } } },
            ],
          },
          {
            role: 'user',
            parts: [
              { functionResponse: { name: 'get_weather', response: { result: 'sunny' } } },
              { functionResponse: { name: 'get_weather', response: { temp: 12 } } },
            ],
          },
          { role: 'model', parts: [{ text: 'Sunny and 12°C.', thoughtSignature: 'c2lnMg==' }] },
          {
            role: 'user',
            parts: [{ functionResponse: { id: 'x', name: 'missing', response: { error: 'no such call' } } }],
          },
        ],
      },
      streamed,
    );
    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and London?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', text: 'Let me think.' },
          { type: 'thinking', text: '', signature: `${REASONING_SIGNATURE_PREFIX}c2lnMQ==` },
          { type: 'tool-call', id: 'call_1_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { type: 'tool-call', id: 'call_1_2', name: 'get_weather', arguments: '{"city":"London"}' },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool-result', toolCallId: 'call_1_1', content: [{ type: 'text', text: 'sunny' }] },
          { type: 'tool-result', toolCallId: 'call_1_2', content: [{ type: 'text', text: '{"temp":12}' }] },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', text: '', signature: `${REASONING_SIGNATURE_PREFIX}c2lnMg==` },
          { type: 'text', text: 'Sunny and 12°C.' },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'x',
            content: [{ type: 'text', text: 'no such call' }],
            isError: true,
          },
        ],
      },
    ]);
  });

  test('a functionCall id, when the client sends one, pairs exactly', () => {
    const { request } = parseRequest(
      {
        contents: [
          user('Go'),
          {
            role: 'model',
            parts: [
              { functionCall: { id: 'a', name: 'f', args: {} } },
              { functionCall: { id: 'b', name: 'f', args: {} } },
            ],
          },
          { role: 'user', parts: [{ functionResponse: { id: 'b', name: 'f', response: { result: 'B' } } }] },
        ],
      },
      streamed,
    );
    expect(request.messages[2]).toEqual({
      role: 'user',
      content: [{ type: 'tool-result', toolCallId: 'b', content: [{ type: 'text', text: 'B' }] }],
    });
  });

  test('tools: declarations with OpenAPI parameters or JSON Schema; server tools dropped for others', () => {
    const { request, warnings } = parseRequest(
      {
        contents: [user('Go')],
        tools: [
          {
            functionDeclarations: [
              {
                name: 'get_weather',
                description: 'Weather',
                parameters: {
                  type: 'OBJECT',
                  properties: {
                    city: { type: 'STRING', description: 'City' },
                    days: { type: 'INTEGER', nullable: true },
                    tags: { type: 'ARRAY', items: { type: 'STRING', enum: ['a', 'b'] } },
                  },
                  required: ['city'],
                  propertyOrdering: ['city', 'days', 'tags'],
                },
              },
              { name: 'now' },
              { name: 'raw', parametersJsonSchema: { type: 'object', additionalProperties: false } },
            ],
          },
          { googleSearch: {} },
          { code_execution: {} },
        ],
        toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['now'] } },
      },
      streamed,
    );
    expect(request.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Weather',
        inputSchema: {
          type: 'object',
          properties: {
            city: { type: 'string', description: 'City' },
            days: { type: ['integer', 'null'] },
            tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
          },
          required: ['city'],
        },
      },
      { name: 'now', inputSchema: { type: 'object', properties: {} } },
      { name: 'raw', inputSchema: { type: 'object', additionalProperties: false } },
    ]);
    expect(request.toolChoice).toEqual({ type: 'tool', name: 'now' });
    expect(request.untranslatable).toBeUndefined();
    expect(warnings).toEqual([
      'tools[1].googleSearch: the googleSearch tool runs only on Gemini upstreams (dropped for others)',
      'tools[2].code_execution: the code_execution tool runs only on Gemini upstreams (dropped for others)',
    ]);
  });

  test.each([
    ['AUTO', undefined, { type: 'auto' }],
    ['NONE', undefined, { type: 'none' }],
    ['ANY', undefined, { type: 'required' }],
    ['ANY', ['a', 'b'], { type: 'required' }],
    ['VALIDATED', undefined, { type: 'auto' }],
    ['MODE_UNSPECIFIED', undefined, undefined],
  ])('functionCallingConfig %s %j', (mode, names, choice) => {
    const { request } = parseRequest(
      {
        contents: [user('Go')],
        tools: [{ functionDeclarations: [{ name: 'a' }, { name: 'b' }] }],
        toolConfig: { functionCallingConfig: { mode, ...(names && { allowedFunctionNames: names }) } },
      },
      streamed,
    );
    expect(request.toolChoice).toEqual(choice);
  });

  test('ANY with only server tools forces a tool only Gemini runs: untranslatable', () => {
    const { request } = parseRequest(
      {
        contents: [user('Search')],
        tools: [{ googleSearch: {} }],
        toolConfig: { functionCallingConfig: { mode: 'ANY' } },
      },
      streamed,
    );
    expect(request.untranslatable).toMatch(
      /^toolConfig\.functionCallingConfig\.mode: ANY can only pick a server tool/,
    );
  });

  test('generationConfig: sampling, thinking, structured output, and what only a Gemini upstream keeps', () => {
    const { request, warnings } = parseRequest(
      {
        contents: [user('Go')],
        safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
        generationConfig: {
          maxOutputTokens: 256,
          temperature: 0.2,
          topP: 0.9,
          topK: 40,
          stopSequences: ['END'],
          candidateCount: 1,
          responseMimeType: 'application/json',
          responseSchema: { type: 'OBJECT' },
          seed: 7,
          thinkingConfig: { thinkingBudget: 2048, includeThoughts: true },
        },
      },
      streamed,
    );
    expect(request).toMatchObject({
      maxTokens: 256,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stopSequences: ['END'],
      reasoning: { budgetTokens: 2048 },
      // Gemini's OpenAPI-subset schema, as JSON Schema.
      responseFormat: { type: 'json_schema', schema: { type: 'object' } },
    });
    expect(request.passthrough).toEqual({
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
      'generationConfig.seed': 7,
    });
    expect(request.requiresSameDialect).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  test.each([
    [{ thinkingBudget: 0 }, { effort: 'none' }],
    [{ thinkingBudget: -1 }, { mode: 'adaptive' }],
    [{ thinkingLevel: 'LOW' }, { effort: 'low' }],
    [{ thinking_level: 'high' }, { effort: 'high' }],
    [{ thinkingLevel: 'MINIMAL' }, { effort: 'minimal' }],
    [{ includeThoughts: true }, undefined],
  ])('thinkingConfig %j → reasoning %j', (thinkingConfig, reasoning) => {
    const { request } = parseRequest(
      { contents: [user('Go')], generationConfig: { thinkingConfig } },
      streamed,
    );
    expect(request.reasoning).toEqual(reasoning);
  });

  test.each([
    [{ generationConfig: { candidateCount: 2 } }, /^generationConfig\.candidateCount > 1/],
    [{ generationConfig: { responseLogprobs: true, logprobs: 3 } }, /^generationConfig\.responseLogprobs/],
    [
      { generationConfig: { responseModalities: ['TEXT', 'IMAGE'] } },
      /^generationConfig\.responseModalities/,
    ],
    [{ cachedContent: 'cachedContents/abc' }, /^cachedContent refers to a context cache/],
  ])('%j can only be served by a Gemini upstream', (extra, reason) => {
    const { request } = parseRequest({ contents: [user('Go')], ...extra }, streamed);
    expect(request.requiresSameDialect).toMatch(reason);
  });

  test('an unknown role is kept for a Gemini upstream only', () => {
    const { request } = parseRequest(
      { contents: [user('Go'), { role: 'critic', parts: [{ text: 'x' }] }] },
      streamed,
    );
    expect(request.untranslatable).toBe(
      "contents[1].role: 'critic' contents can only be sent to a Gemini upstream",
    );
  });

  test('countTokens: {contents} or {generateContentRequest}', () => {
    const count = target('/v1beta/models/gem:countTokens');
    const inner = parseRequest(
      {
        generateContentRequest: {
          model: 'models/gem',
          contents: [user('Count me')],
          systemInstruction: { parts: [{ text: 'Sys' }] },
        },
      },
      count,
    ).request;
    expect(inner).toMatchObject({ model: 'gem', stream: false, system: 'Sys' });
    expect(inner.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Count me' }] }]);
    expect(parseRequest({ contents: [user('Count me')] }, count).request.messages).toHaveLength(1);
  });

  test.each([
    [{}, 'contents'],
    [{ contents: [] }, 'contents'],
    [{ contents: [{ role: 'user', parts: 'hi' }] }, 'contents[0].parts'],
    [{ contents: [{ role: 'user', parts: [{ text: 3 }] }] }, 'contents[0].parts[0].text'],
    [
      { contents: [{ role: 'model', parts: [{ functionCall: { args: {} } }] }] },
      'contents[0].parts[0].functionCall.name',
    ],
    [{ contents: [user('x')], generationConfig: { temperature: 3 } }, 'generationConfig.temperature'],
    [{ contents: [user('x')], generationConfig: { maxOutputTokens: 0 } }, 'generationConfig.maxOutputTokens'],
    [
      { contents: [user('x')], toolConfig: { functionCallingConfig: { mode: 'SOMETIMES' } } },
      'toolConfig.functionCallingConfig.mode',
    ],
  ])('400 naming the field: %j', (body, param) => {
    const error = refused(body);
    expect(error.type).toBe('invalid_request');
    expect(error.param).toBe(param);
    expect(error.message.startsWith(`${param}: `)).toBe(true);
  });
});

describe('parseRawRequest', () => {
  test('routes by the URL and keeps the body for a Gemini upstream to judge', () => {
    const body = { contents: 'not even an array' };
    expect(parseRawRequest(body, streamed)).toEqual({
      model: 'gem-flash',
      messages: [],
      stream: true,
      sourceDialect: 'gemini',
      passthrough: {},
      untranslatable: 'this request is forwarded as sent: only a Gemini upstream can read it',
      raw: body,
    });
  });

  test('a body that is not an object cannot be forwarded', () => {
    expect(() => parseRawRequest([1], streamed)).toThrow(/body: must be a JSON object/);
  });
});
