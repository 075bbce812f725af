/**
 * The client half, outbound: canonical events and responses → Gemini frames and bodies. The recordings are
 * the oracle: each is decoded (as an upstream stream) and encoded again (for a Gemini client), and what the
 * client reads must be what Gemini sent: texts, thoughts, whole function calls and their args, the
 * thoughtSignatures on the parts they came on, finishReason, usageMetadata, and the frame's shape.
 */
import type { CanonicalResponse, StreamEvent } from '@tokenpak/provider';
import { collectResponse } from '@tokenpak/provider-utils';
import { describe, expect, test } from 'vitest';
import { encodeCallId, encodeResponse, type GeminiResponse } from '../../src/index.ts';
import {
  answerText,
  decodeRecording,
  encodeEvents,
  framesOf,
  partsOf,
  RECORDINGS,
  recording,
  thoughtText,
} from './support.ts';

const frames = (events: StreamEvent[]) =>
  encodeEvents(events).map((wire) => JSON.parse(wire.data) as GeminiResponse);

/** Every key a frame holds, at each level, must be one Gemini's own frames hold. */
function keysOf(frame: GeminiResponse): string[] {
  const candidate = frame.candidates?.[0] ?? {};
  return [
    ...Object.keys(frame).map((k) => `frame.${k}`),
    ...Object.keys(candidate).map((k) => `candidate.${k}`),
    ...Object.keys(candidate.content ?? {}).map((k) => `content.${k}`),
    ...Object.keys(frame.usageMetadata ?? {}).map((k) => `usage.${k}`),
  ];
}

function streamOf(events: StreamEvent[]): ReadableStream<StreamEvent> {
  return new ReadableStream({
    start(controller) {
      for (const event of events) controller.enqueue(event);
      controller.close();
    },
  });
}

/** The keys Gemini's recorded frames hold (some recordings leave `index` out, others write it). */
const known = new Set(RECORDINGS.flatMap((name) => framesOf(recording(name)).flatMap(keysOf)));

describe.each(RECORDINGS)('%s: Gemini → canonical → Gemini client', (name) => {
  const original = framesOf(recording(name));
  const originalParts = partsOf(original);
  const last = original.at(-1) as GeminiResponse;

  test('streamed: what the client reads is what Gemini sent', () => {
    const out = frames(decodeRecording(recording(name)));
    const parts = partsOf(out);
    expect(answerText(parts)).toBe(answerText(originalParts));
    expect(thoughtText(parts)).toBe(thoughtText(originalParts));
    // Function calls whole, with their args and signatures, in order.
    expect(parts.filter((p) => p.functionCall)).toEqual(originalParts.filter((p) => p.functionCall));
    // Every signature Gemini put on a part is on the same kind of part, in the same order.
    const signed = (list: typeof parts) =>
      list
        .filter((p) => p.thoughtSignature)
        .map((p) => [p.functionCall ? 'call' : 'text', p.thoughtSignature]);
    expect(signed(parts)).toEqual(signed(originalParts));
    // The last frame says how it finished, with Gemini's figures.
    const end = out.at(-1) as GeminiResponse;
    expect(end.candidates?.[0]?.finishReason).toBe(last.candidates?.[0]?.finishReason);
    const {
      promptTokensDetails: _details,
      candidatesTokensDetails: _c,
      ...usage
    } = last.usageMetadata as Record<string, unknown>;
    expect(end.usageMetadata).toEqual(usage);
    // Every frame: the alias as modelVersion, one responseId, and only keys Gemini's frames have.
    for (const frame of out) {
      expect(frame.modelVersion).toBe('alias');
      expect(frame.responseId).toBe('resp-1');
      expect(frame.candidates?.[0]?.content?.role).toBe('model');
      for (const key of keysOf(frame)) expect(known, key).toContain(key);
    }
    // Nothing but usage and finishReason come before the end.
    expect(out.slice(0, -1).every((f) => !f.usageMetadata && !f.candidates?.[0]?.finishReason)).toBe(true);
  });

  test('not streamed: the same parts in one body', async () => {
    const response = await collectResponse(streamOf(decodeRecording(recording(name))));
    const body = encodeResponse(response, { model: 'alias', id: 'resp-2' }) as GeminiResponse;
    const parts = body.candidates?.[0]?.content?.parts ?? [];
    expect(answerText(parts)).toBe(answerText(originalParts));
    expect(parts.filter((p) => p.functionCall)).toEqual(originalParts.filter((p) => p.functionCall));
    expect(parts.filter((p) => p.thoughtSignature).length).toBe(
      originalParts.filter((p) => p.thoughtSignature).length,
    );
    expect(body.candidates?.[0]?.finishReason).toBe('STOP');
    expect(body.modelVersion).toBe('alias');
    expect(body.responseId).toBe('resp-2');
    expect(body.usageMetadata?.totalTokenCount).toBe(last.usageMetadata?.totalTokenCount);
  });
});

describe('encodeStream from other providers', () => {
  const start: StreamEvent = {
    type: 'message-start',
    id: 'chatcmpl-1',
    model: 'gpt-4o',
    usage: { inputTokens: 9 },
  };

  test('a tool call streamed in fragments (OpenAI) is held and sent whole; parallel calls each whole', () => {
    const out = frames([
      start,
      { type: 'block-start', index: 0, block: { type: 'tool-call', id: 'call_a', name: 'get_weather' } },
      { type: 'block-start', index: 1, block: { type: 'tool-call', id: 'call_b', name: 'get_time' } },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
      { type: 'block-stop', index: 1 },
      { type: 'block-stop', index: 0 },
      { type: 'finish', reason: 'tool-calls', usage: { inputTokens: 9, outputTokens: 20 } },
    ]);
    expect(out.map((f) => f.candidates?.[0]?.content?.parts)).toEqual([
      [{ functionCall: { name: 'get_time', args: {} } }],
      [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }],
      [{ text: '' }],
    ]);
    expect(out[2]?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(out[2]?.usageMetadata).toEqual({
      promptTokenCount: 9,
      candidatesTokenCount: 20,
      totalTokenCount: 29,
    });
  });

  test('a call whose block never stopped is sent whole before the last frame', () => {
    const out = frames([
      start,
      { type: 'block-start', index: 0, block: { type: 'tool-call', id: 'call_a', name: 'f' } },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"a":1}' },
      { type: 'finish', reason: 'tool-calls', usage: {} },
    ]);
    expect(out[0]?.candidates?.[0]?.content?.parts).toEqual([
      { functionCall: { name: 'f', args: { a: 1 } } },
    ]);
  });

  test("the signature carried in a call id is the part's thoughtSignature", () => {
    const out = frames([
      start,
      {
        type: 'block-start',
        index: 0,
        block: { type: 'tool-call', id: encodeCallId('call_x', 'c2ln'), name: 'f' },
      },
      { type: 'block-stop', index: 0 },
      { type: 'finish', reason: 'tool-calls', usage: {} },
    ]);
    expect(out[0]?.candidates?.[0]?.content?.parts).toEqual([
      { functionCall: { name: 'f', args: {} }, thoughtSignature: 'c2ln' },
    ]);
  });

  test('Anthropic thinking: thought parts, its signature left out (no Gemini client could use it); refusal as text', () => {
    const out = frames([
      { type: 'message-start', id: 'msg_1', model: 'claude', usage: { inputTokens: 5 } },
      { type: 'block-start', index: 0, block: { type: 'reasoning' } },
      { type: 'reasoning-delta', index: 0, text: 'Hmm.' },
      { type: 'reasoning-signature', index: 0, signature: 'EqQBanthropic' },
      { type: 'block-stop', index: 0 },
      { type: 'block-start', index: 1, block: { type: 'redacted-reasoning', data: 'xx' } },
      { type: 'block-stop', index: 1 },
      { type: 'block-start', index: 2, block: { type: 'refusal' } },
      { type: 'text-delta', index: 2, text: 'No.' },
      { type: 'block-stop', index: 2 },
      {
        type: 'finish',
        reason: 'refusal',
        usage: { inputTokens: 5, outputTokens: 7, reasoningTokens: 3, cacheReadTokens: 2 },
      },
    ]);
    expect(out.map((f) => f.candidates?.[0]?.content?.parts)).toEqual([
      [{ text: 'Hmm.', thought: true }],
      [{ text: 'No.' }],
      [{ text: '' }],
    ]);
    expect(out[2]?.candidates?.[0]?.finishReason).toBe('SAFETY');
    expect(out[2]?.usageMetadata).toEqual({
      promptTokenCount: 5,
      candidatesTokenCount: 4,
      thoughtsTokenCount: 3,
      totalTokenCount: 12,
      cachedContentTokenCount: 2,
    });
  });

  test.each([
    ['stop', 'STOP'],
    ['stop-sequence', 'STOP'],
    ['length', 'MAX_TOKENS'],
    ['content-filter', 'SAFETY'],
    ['pause', 'OTHER'],
    ['other', 'OTHER'],
  ] as const)('finish %s → %s', (reason, wire) => {
    const out = frames([start, { type: 'finish', reason, usage: {} }]);
    expect(out.at(-1)?.candidates?.[0]?.finishReason).toBe(wire);
  });

  test('an error event is an error frame, and nothing follows it', () => {
    const wire = encodeEvents([
      start,
      { type: 'block-start', index: 0, block: { type: 'text' } },
      { type: 'text-delta', index: 0, text: 'Hi' },
      { type: 'error', error: new (class extends Error {})('x') as never },
    ]);
    expect(wire).toHaveLength(2);
    expect(wire[1]?.event).toBeUndefined();
  });

  test('a stream that ends without finish ends with an UNAVAILABLE error frame', () => {
    const wire = encodeEvents([start, { type: 'block-start', index: 0, block: { type: 'text' } }]);
    expect(wire).toHaveLength(1);
    expect(JSON.parse(wire[0]?.data ?? '')).toEqual({
      error: { code: 502, message: 'the upstream stream ended before it finished', status: 'UNAVAILABLE' },
    });
  });
});

describe('encodeResponse from other providers', () => {
  test('blocks in order; an empty answer still has one part', () => {
    const response: CanonicalResponse = {
      id: 'x',
      model: 'm',
      content: [
        { type: 'text', text: 'Calling.' },
        { type: 'tool-call', id: 'toolu_1', name: 'f', arguments: '' },
      ],
      finishReason: 'tool-calls',
      usage: { inputTokens: 3, outputTokens: 4 },
    };
    expect(encodeResponse(response, { model: 'alias', id: 'r' })).toEqual({
      candidates: [
        {
          content: {
            parts: [{ text: 'Calling.' }, { functionCall: { name: 'f', args: {} } }],
            role: 'model',
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 7 },
      modelVersion: 'alias',
      responseId: 'r',
    });
    const empty = encodeResponse(
      { ...response, content: [], finishReason: 'length' },
      { model: 'alias' },
    ) as GeminiResponse;
    expect(empty.candidates?.[0]?.content?.parts).toEqual([{ text: '' }]);
    expect(empty.candidates?.[0]?.finishReason).toBe('MAX_TOKENS');
    expect(typeof empty.responseId).toBe('string');
  });
});
