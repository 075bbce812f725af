/**
 * Round trips through the canonical model: a Gemini client's body parsed and built back for Gemini (the
 * canonical path, as a fallback from another dialect would take it, and the raw path a Gemini upstream
 * takes), and a recorded answer sent to a Gemini client, echoed back as history, and built for Gemini again
 * with every thoughtSignature where Gemini put it.
 */
import { describe, expect, test } from 'vitest';
import { buildRequest, type GeminiContent, parseRequest } from '../../src/index.ts';
import { decodeRecording, encodeEvents, partsOf, RECORDINGS, recording } from './support.ts';

const target = { path: '/v1beta/models/gem:generateContent', query: new URLSearchParams() };
const options = { model: 'gemini-2.5-flash', stream: false, defaultMaxTokens: 1024 };

const BODY = {
  systemInstruction: { parts: [{ text: 'Be brief.' }] },
  contents: [
    {
      role: 'user',
      parts: [{ text: 'Weather in Paris?' }, { inlineData: { mimeType: 'image/png', data: 'AAAA' } }],
    },
    {
      role: 'model',
      parts: [
        { text: 'Checking.', thoughtSignature: 'dGV4dA==' },
        { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'Y2FsbA==' },
      ],
    },
    { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { result: 'sunny' } } }] },
  ],
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
};

describe('a Gemini client body', () => {
  test('the raw path: a Gemini upstream gets the body exactly as sent, unknown fields included', () => {
    const body = {
      ...BODY,
      safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'OFF' }],
      someFutureField: 1,
    };
    const { request } = parseRequest(body, target);
    const built = buildRequest(request, options);
    expect(built).toEqual(body);
    expect(built).not.toBe(body);
  });

  test('the canonical path gives the same body back', () => {
    const { request } = parseRequest(BODY, target);
    const warnings: string[] = [];
    expect(buildRequest({ ...request, raw: undefined }, options, warnings)).toEqual(BODY);
    expect(warnings).toEqual([]);
  });
});

describe.each(RECORDINGS)('%s: answer → Gemini client → history → Gemini upstream', (name) => {
  test('every thoughtSignature goes back on the part it came on', () => {
    const original = partsOf(
      recording(name)
        .split(/\r?\n\r?\n/)
        .filter((block) => block.startsWith('data:'))
        .map((block) => JSON.parse(block.slice(5))),
    );
    // The client keeps the model's turn as the SDK's chat does: every part of every frame, in order.
    const sent = encodeEvents(decodeRecording(recording(name))).map((wire) => JSON.parse(wire.data));
    const modelTurn: GeminiContent = { role: 'model', parts: partsOf(sent) };
    const answers = (modelTurn.parts ?? [])
      .filter((p) => p.functionCall)
      .map((p) => ({ functionResponse: { name: p.functionCall?.name, response: { result: 'ok' } } }));
    const body = {
      contents: [
        { role: 'user', parts: [{ text: 'Go' }] },
        modelTurn,
        ...(answers.length > 0
          ? [{ role: 'user', parts: answers }]
          : [{ role: 'user', parts: [{ text: 'And?' }] }]),
      ],
    };
    const { request } = parseRequest(body, target);
    const built = buildRequest({ ...request, raw: undefined }, options) as { contents: GeminiContent[] };
    const rebuilt = built.contents[1]?.parts ?? [];
    const signatures = (parts: typeof rebuilt) =>
      parts
        .filter((p) => p.thoughtSignature)
        .map((p) => [p.functionCall?.name ?? 'text', p.thoughtSignature]);
    expect(signatures(rebuilt)).toEqual(signatures(original));
    expect(rebuilt.filter((p) => p.functionCall).map((p) => p.functionCall)).toEqual(
      original.filter((p) => p.functionCall).map((p) => p.functionCall),
    );
    if (answers.length > 0) {
      expect(built.contents[2]?.parts?.map((p) => p.functionResponse?.name)).toEqual(
        answers.map((a) => a.functionResponse.name),
      );
    }
  });
});
