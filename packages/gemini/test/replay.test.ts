/**
 * The four Gemini recordings (test/fixtures/gemini/*.sse, see packages/provider-utils/test/fixtures/README.md)
 * through the kit's fixture upstream in every replay mode (whole, random chunks, every byte, flipped line
 * endings), read by the gemini provider. The expected figures are read off the recordings: text, thoughts,
 * function calls and their args, the thoughtSignatures, usageMetadata and finishReason. Then the answer goes
 * back as the next turn, and the signatures must be in the next request's body where Gemini put them.
 */
import type { AssistantContentPart, CanonicalMessage, Provider } from '@tokenpak/provider';
import {
  assertCanonicalOrder,
  callContext,
  collectEvents,
  type EventSummary,
  type Fixture,
  type FixtureUpstream,
  loadFixtures,
  providerEntry,
  replayModes,
  startFixtureUpstream,
  userRequest,
} from '@tokenpak/provider-utils/test';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import gemini, { decodeCallId, REASONING_SIGNATURE_PREFIX } from '../src/index.ts';

const fixtures = loadFixtures(new URL('./fixtures/gemini/', import.meta.url), '.sse');
const modes = replayModes({ seeds: [1, 2], maxChunk: 48 });
const fixture = (name: string) => fixtures.find((f) => f.name === name) as Fixture;

interface Part {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { name: string; args: unknown };
}
interface Frame {
  candidates?: Array<{ content?: { parts?: Part[] }; finishReason?: string }>;
  usageMetadata?: { promptTokenCount: number; candidatesTokenCount: number; thoughtsTokenCount?: number };
  modelVersion: string;
  responseId: string;
}

/** The frames of a recording, parsed as a test reads them (not with the package's decoder). */
function frames(f: Fixture): Frame[] {
  const text = new TextDecoder().decode(f.body as Uint8Array);
  return text
    .split('\r\n\r\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => JSON.parse(block.slice('data: '.length)) as Frame);
}

/** What the recording says the canonical answer is. */
function expected(f: Fixture) {
  const all = frames(f);
  const last = all.at(-1) as Frame;
  const parts = all.flatMap((fr) => fr.candidates?.[0]?.content?.parts ?? []);
  const meta = last.usageMetadata as NonNullable<Frame['usageMetadata']>;
  const calls = parts.filter((p) => p.functionCall);
  return {
    id: last.responseId,
    model: last.modelVersion,
    text: parts
      .filter((p) => !p.thought && p.text)
      .map((p) => p.text)
      .join(''),
    reasoning: parts
      .filter((p) => p.thought)
      .map((p) => p.text)
      .join(''),
    calls: calls.map((p) => ({ name: p.functionCall?.name, input: p.functionCall?.args })),
    callSignatures: calls.map((p) => p.thoughtSignature),
    textSignatures: parts.filter((p) => !p.functionCall && p.thoughtSignature).map((p) => p.thoughtSignature),
    usage: {
      inputTokens: meta.promptTokenCount,
      outputTokens: meta.candidatesTokenCount + (meta.thoughtsTokenCount ?? 0),
      ...(meta.thoughtsTokenCount !== undefined && { reasoningTokens: meta.thoughtsTokenCount }),
    },
    finishReason:
      calls.length > 0 ? 'tool-calls' : last.candidates?.[0]?.finishReason === 'STOP' ? 'stop' : '?',
  };
}

let upstream: FixtureUpstream;
let provider: Provider;

beforeAll(async () => {
  upstream = await startFixtureUpstream();
  provider = await gemini.create({
    name: 'gem',
    config: providerEntry({ type: 'gemini', api_key: 'AIza-test-key', base_url: upstream.url }),
  });
});

afterAll(async () => {
  await provider.close?.();
  await upstream.close();
});

test('the four recordings are here', () => {
  expect(fixtures.map((f) => f.name)).toEqual([
    'function-call-thought-signature.sse',
    'function-calls-parallel.sse',
    'text.sse',
    'thinking.sse',
  ]);
});

async function replayOnce(f: Fixture, mode: (typeof modes)[number]): Promise<EventSummary> {
  upstream.serve(f, { mode });
  const before = upstream.requests.length;
  const { events, summary } = await collectEvents(
    await provider.stream(userRequest('replay'), callContext({ model: 'gemini-2.5-flash' })),
  );
  assertCanonicalOrder(events, { denseIndices: true });
  const request = upstream.requests[before];
  expect(request?.url).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
  expect(request?.headers['x-goog-api-key']).toBe('AIza-test-key');
  return summary;
}

describe.each(fixtures)('$name', (f) => {
  const want = expected(f);

  test.each(modes)('$name', async (mode) => {
    const summary = await replayOnce(f, mode);
    expect(summary.error).toBeUndefined();
    expect(summary.id).toBe(want.id);
    expect(summary.model).toBe(want.model);
    expect(summary.text).toBe(want.text);
    expect(summary.reasoning).toBe(want.reasoning);
    expect(summary.toolCalls.map(({ name, input }) => ({ name, input }))).toEqual(want.calls);
    expect(summary.toolCalls.map((c) => decodeCallId(c.id).signature)).toEqual(want.callSignatures);
    const reasoningSignatures = summary.blocks.flatMap((b) =>
      b.type === 'reasoning' && b.signature ? [b.signature] : [],
    );
    expect(reasoningSignatures).toEqual(want.textSignatures.map((s) => REASONING_SIGNATURE_PREFIX + s));
    expect(summary.usage).toEqual(want.usage);
    expect(summary.finishReason).toBe(want.finishReason);
  });
});

test('the recordings say what the test expects of them', () => {
  expect(expected(fixture('text.sse'))).toMatchObject({
    text: 'The capital of France is Paris.\n',
    finishReason: 'stop',
  });
  expect(expected(fixture('function-calls-parallel.sse')).calls).toEqual([
    { name: 'get_current_temperature', input: { city: 'Paris' } },
    { name: 'get_current_temperature', input: { city: 'London' } },
  ]);
  expect(expected(fixture('function-call-thought-signature.sse')).callSignatures[0]).toMatch(/^EpwICpkI/);
  const thinking = expected(fixture('thinking.sse'));
  expect(thinking.textSignatures).toHaveLength(1);
  expect(thinking.reasoning.startsWith('**Clarifying User Goals**')).toBe(true);
  expect(thinking.usage).toEqual({ inputTokens: 34, outputTokens: 1256, reasoningTokens: 787 });
});

/** An assistant turn as a client echoes it: the answer's blocks, with the ids and signatures it received. */
function assistantTurn(summary: EventSummary): CanonicalMessage {
  return {
    role: 'assistant',
    content: summary.blocks.flatMap((b): AssistantContentPart[] => {
      if (b.type === 'text') return [{ type: 'text' as const, text: b.text }];
      if (b.type === 'reasoning')
        return [{ type: 'thinking' as const, text: b.text, ...(b.signature && { signature: b.signature }) }];
      if (b.type === 'tool-call')
        return [{ type: 'tool-call' as const, id: b.id, name: b.name, arguments: b.arguments }];
      return [];
    }),
  };
}

describe('thought signatures go back to Gemini on the next turn', () => {
  test('function-call-thought-signature.sse: the signature is on the functionCall part, the result names it', async () => {
    const f = fixture('function-call-thought-signature.sse');
    const want = expected(f);
    const summary = await replayOnce(f, modes[0] as (typeof modes)[number]);
    const call = summary.toolCalls[0];
    expect(call?.id).toMatch(/^call_[A-Za-z0-9]{24}__ts__[A-Za-z0-9_-]+$/);

    upstream.serve(fixture('text.sse'));
    const before = upstream.requests.length;
    const next = userRequest('What is the capital of France?', {
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Which country am I in?' }] },
        assistantTurn(summary),
        {
          role: 'user',
          content: [
            {
              type: 'tool-result',
              toolCallId: call?.id ?? '',
              content: [{ type: 'text', text: '{"country":"France"}' }],
            },
          ],
        },
      ],
    });
    const { summary: answer } = await collectEvents(
      await provider.stream(next, callContext({ model: 'gemini-3-pro-preview' })),
    );
    expect(answer.finishReason).toBe('stop');
    const body = upstream.requests[before]?.json as { contents: unknown };
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Which country am I in?' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_country', args: {} }, thoughtSignature: want.callSignatures[0] },
        ],
      },
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'get_country', response: { country: 'France' } } }],
      },
    ]);
  });

  test('function-calls-parallel.sse: two calls, no signatures, two results by name', async () => {
    const summary = await replayOnce(
      fixture('function-calls-parallel.sse'),
      modes[0] as (typeof modes)[number],
    );
    const [paris, london] = summary.toolCalls;
    expect(paris?.id).not.toBe(london?.id);
    upstream.serve(fixture('text.sse'));
    const before = upstream.requests.length;
    const next = userRequest('', {
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and London?' }] },
        assistantTurn(summary),
        {
          role: 'user',
          content: [
            { type: 'tool-result', toolCallId: paris?.id ?? '', content: [{ type: 'text', text: '18' }] },
            { type: 'tool-result', toolCallId: london?.id ?? '', content: [{ type: 'text', text: '15' }] },
          ],
        },
      ],
    });
    await collectEvents(await provider.stream(next, callContext()));
    const body = upstream.requests[before]?.json as { contents: Array<{ parts: unknown[] }> };
    expect(body.contents[1]?.parts).toEqual([
      { functionCall: { name: 'get_current_temperature', args: { city: 'Paris' } } },
      { functionCall: { name: 'get_current_temperature', args: { city: 'London' } } },
    ]);
    expect(body.contents[2]?.parts).toEqual([
      { functionResponse: { name: 'get_current_temperature', response: { result: 18 } } },
      { functionResponse: { name: 'get_current_temperature', response: { result: 15 } } },
    ]);
  });

  test('thinking.sse: the answer part signature goes back on the answer text, thoughts are not sent', async () => {
    const f = fixture('thinking.sse');
    const want = expected(f);
    const summary = await replayOnce(f, modes[0] as (typeof modes)[number]);
    upstream.serve(fixture('text.sse'));
    const before = upstream.requests.length;
    const next = userRequest('', {
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'How do I cross the street?' }] },
        assistantTurn(summary),
        { role: 'user', content: [{ type: 'text', text: 'Thanks!' }] },
      ],
    });
    await collectEvents(await provider.stream(next, callContext()));
    const body = upstream.requests[before]?.json as { contents: Array<{ role: string; parts: unknown[] }> };
    expect(body.contents[1]).toEqual({
      role: 'model',
      parts: [{ text: want.text, thoughtSignature: want.textSignatures[0] }],
    });
  });

  test('a reasoning signature that is not Gemini’s (e.g. Anthropic’s) is not sent', async () => {
    upstream.serve(fixture('text.sse'));
    const before = upstream.requests.length;
    const next = userRequest('', {
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', text: 'hmm', signature: 'ErUBCkYIBBgCIkA-anthropic' },
            { type: 'text', text: 'Hello' },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'Again' }] },
      ],
    });
    await collectEvents(await provider.stream(next, callContext()));
    const body = upstream.requests[before]?.json as { contents: Array<{ parts: unknown[] }> };
    expect(body.contents[1]?.parts).toEqual([{ text: 'Hello' }]);
  });
});
