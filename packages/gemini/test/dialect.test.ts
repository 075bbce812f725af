/** The gemini dialect without HTTP: request building, finish reasons, usage, errors, the id encoding. */
import type { ToolChoice } from '@tokenpak/provider';
import { userRequest } from '@tokenpak/provider-utils/test';
import { describe, expect, test } from 'vitest';
import {
  buildRequest,
  createStreamDecoder,
  decodeCallId,
  encodeCallId,
  finishReasonFromGemini,
  parseError,
  usageFromGemini,
} from '../src/index.ts';

const options = { model: 'gemini-2.5-flash', stream: true, defaultMaxTokens: 1024 };

describe('buildRequest', () => {
  test('tools, toolConfig and generationConfig', () => {
    const warnings: string[] = [];
    const body = buildRequest(
      userRequest('Weather?', {
        tools: [
          {
            name: 'get_weather',
            description: 'Weather',
            inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
          },
        ],
        toolChoice: { type: 'tool', name: 'get_weather' },
        maxTokens: 100,
        temperature: 0.5,
        topP: 0.9,
        topK: 40,
        stopSequences: ['END'],
        reasoning: { budgetTokens: 2048 },
        passthrough: { seed: 1 },
      }),
      options,
      warnings,
    );
    expect(body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Weather?' }] }],
      tools: [
        {
          functionDeclarations: [
            {
              name: 'get_weather',
              description: 'Weather',
              parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } } },
            },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
      generationConfig: {
        maxOutputTokens: 100,
        temperature: 0.5,
        topP: 0.9,
        topK: 40,
        stopSequences: ['END'],
        thinkingConfig: { thinkingBudget: 2048, includeThoughts: true },
      },
    });
    expect(warnings).toEqual(['seed has no Gemini equivalent; dropped']);
  });

  test('tool choices and reasoning efforts', () => {
    const config = (toolChoice: ToolChoice) =>
      buildRequest(userRequest('x', { toolChoice }), options).toolConfig;
    expect(config({ type: 'auto' })).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(config({ type: 'none' })).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(config({ type: 'required' })).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    const thinking = (reasoning: object, model = 'gemini-2.5-pro') =>
      (
        buildRequest(userRequest('x', { reasoning }), { ...options, model }).generationConfig as Record<
          string,
          unknown
        >
      )?.thinkingConfig;
    expect(thinking({ effort: 'none' })).toEqual({ thinkingBudget: 0 });
    expect(thinking({ effort: 'low' })).toEqual({ thinkingBudget: 1024, includeThoughts: true });
    expect(thinking({ effort: 'high' }, 'gemini-3-pro-preview')).toEqual({
      thinkingLevel: 'high',
      includeThoughts: true,
    });
    expect(thinking({ mode: 'adaptive' })).toEqual({ thinkingBudget: -1, includeThoughts: true });
  });

  test('images, mid-conversation system turns, and a tool result without its call', () => {
    const warnings: string[] = [];
    const body = buildRequest(
      userRequest('', {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.webp' } },
            ],
          },
          { role: 'system', content: [{ type: 'text', text: 'Answer in French.' }] },
          { role: 'user', content: [{ type: 'text', text: 'Describe.' }] },
        ],
      }),
      options,
      warnings,
    );
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Answer in French.' }] });
    expect(body.contents).toEqual([
      {
        role: 'user',
        parts: [
          { inlineData: { mimeType: 'image/png', data: 'iVBOR' } },
          { fileData: { fileUri: 'https://example.com/cat.webp', mimeType: 'image/webp' } },
          { text: 'Describe.' },
        ],
      },
    ]);
    expect(warnings).toHaveLength(1);
    expect(() =>
      buildRequest(
        userRequest('', {
          messages: [{ role: 'user', content: [{ type: 'tool-result', toolCallId: 'call_x', content: [] }] }],
        }),
        options,
      ),
    ).toThrow(/answers no tool call/);
  });
});

test('thought signatures in ids round-trip exactly', () => {
  const signature = 'EpwICpkIAXLI2nxlU6gs+/Wa=';
  const bytes = Buffer.from('any bytes at all \u0000\u00ff').toString('base64');
  for (const s of [signature, bytes, 'not base64!', 'CiQB']) {
    const id = encodeCallId('call_abc', s);
    expect(id.startsWith('call_abc__')).toBe(true);
    expect(decodeCallId(id)).toEqual({ id: 'call_abc', signature: s });
  }
  expect(encodeCallId('call_abc', undefined)).toBe('call_abc');
  expect(decodeCallId('call_abc')).toEqual({ id: 'call_abc' });
  expect(encodeCallId('call_abc', Buffer.from([1, 2, 3, 250]).toString('base64'))).toMatch(
    /^[A-Za-z0-9_-]+$/,
  );
});

test('finish reasons', () => {
  expect(finishReasonFromGemini('STOP', false)).toBe('stop');
  expect(finishReasonFromGemini('STOP', true)).toBe('tool-calls');
  expect(finishReasonFromGemini('MAX_TOKENS', false)).toBe('length');
  for (const r of ['SAFETY', 'RECITATION', 'PROHIBITED_CONTENT'])
    expect(finishReasonFromGemini(r, false)).toBe('content-filter');
  expect(finishReasonFromGemini('OTHER', false)).toBe('other');
});

test('usage: outputs include thoughts, cached content is a cache read', () => {
  expect(
    usageFromGemini({
      promptTokenCount: 100,
      candidatesTokenCount: 10,
      thoughtsTokenCount: 5,
      cachedContentTokenCount: 60,
    }),
  ).toEqual({ inputTokens: 100, outputTokens: 15, reasoningTokens: 5, cacheReadTokens: 60 });
});

test('a prompt blocked by promptFeedback finishes with content-filter', () => {
  const events: unknown[] = [];
  const decoder = createStreamDecoder();
  decoder.push(
    { data: '{"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":3}}' },
    (e) => events.push(e),
  );
  decoder.end((e) => events.push(e));
  expect(events.at(-1)).toEqual({ type: 'finish', reason: 'content-filter', usage: { inputTokens: 3 } });
});

describe('parseError', () => {
  const error = (status: number, rpc: string, extra: object = {}) =>
    parseError(status, { error: { code: status, message: 'm', status: rpc, ...extra } }, 'gem');
  test.each([
    [429, 'RESOURCE_EXHAUSTED', 'rate_limit'],
    [503, 'UNAVAILABLE', 'overloaded'],
    [400, 'INVALID_ARGUMENT', 'invalid_request'],
    [403, 'PERMISSION_DENIED', 'authentication'],
    [401, 'UNAUTHENTICATED', 'authentication'],
    [404, 'NOT_FOUND', 'not_found'],
    [500, 'INTERNAL', 'api_error'],
    [504, 'DEADLINE_EXCEEDED', 'timeout'],
  ])('%i %s → %s', (status, rpc, type) => {
    expect(error(status, rpc)).toMatchObject({ type, status, code: rpc, provider: 'gem', message: 'm' });
  });
  test('an invalid key (400 with reason API_KEY_INVALID), an array body, a text body', () => {
    expect(error(400, 'INVALID_ARGUMENT', { details: [{ reason: 'API_KEY_INVALID' }] }).type).toBe(
      'authentication',
    );
    expect(
      parseError(429, [{ error: { code: 429, message: 'q', status: 'RESOURCE_EXHAUSTED' } }], 'gem').type,
    ).toBe('rate_limit');
    expect(parseError(502, 'Bad Gateway', 'gem')).toMatchObject({ type: 'api_error', status: 502 });
  });
});
