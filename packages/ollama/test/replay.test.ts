/**
 * The Ollama `/api/chat` recording (test/fixtures/ollama/chat-text-tail.ndjson, copied from
 * packages/provider-utils/test/fixtures; the other two recordings there are `/api/generate` streams, a wire
 * this provider does not speak) through the kit: served by `startFixtureUpstream` in every replay mode and
 * read by the provider, and in memory through `decodeNdjsonStream` + the dialect's decoder.
 */
import type { Provider } from '@tokenpak/provider';
import { decodeNdjsonStream } from '@tokenpak/provider-utils';
import {
  assertCanonicalOrder,
  callContext,
  collectEvents,
  type FixtureUpstream,
  loadFixtures,
  providerEntry,
  type ReplayMode,
  replayModes,
  replayStream,
  startFixtureUpstream,
  userRequest,
} from '@tokenpak/provider-utils/test';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import pkg, { ollamaChat } from '../src/index.ts';

const fixtures = loadFixtures(new URL('./fixtures/ollama/', import.meta.url), '.ndjson');
const modes = replayModes({ seeds: [1, 2, 3], maxChunk: 48 });

/** Read off the recording: five content lines, then the done line (prompt_eval_count 10, eval_count 239). */
const EXPECTED: Record<string, { model: string; text: string; usage: object; finishReason: string }> = {
  'chat-text-tail.ndjson': {
    model: 'phi3',
    text: ' these times of day.',
    usage: { inputTokens: 10, outputTokens: 239 },
    finishReason: 'stop',
  },
};

let upstream: FixtureUpstream;
let provider: Provider;

beforeAll(async () => {
  upstream = await startFixtureUpstream();
  provider = await pkg.create({
    name: 'local',
    config: providerEntry({ type: 'ollama', base_url: upstream.url }),
  });
});

afterAll(async () => {
  await provider.close?.();
  await upstream.close();
});

test('every recording has its expectations', () => {
  expect(fixtures.map((f) => f.name)).toEqual(Object.keys(EXPECTED).sort());
});

describe.each(fixtures)('$name', (fixture) => {
  const expected = EXPECTED[fixture.name]!;

  async function overHttp(mode: ReplayMode) {
    upstream.serve(fixture, { mode });
    const before = upstream.requests.length;
    const collected = await collectEvents(
      await provider.stream(userRequest('replay'), callContext({ model: 'phi3' })),
    );
    const request = upstream.requests[before];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/chat');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.json).toEqual({
      model: 'phi3',
      stream: true,
      messages: [{ role: 'user', content: 'replay' }],
    });
    return collected;
  }

  test.each(modes)('over HTTP, $name: canonical order and the recorded figures', async (mode) => {
    const { events, summary } = await overHttp(mode);
    assertCanonicalOrder(events, { denseIndices: true });
    expect(summary).toMatchObject({
      model: expected.model,
      text: expected.text,
      blockTypes: ['text'],
      usage: expected.usage,
      finishReason: expected.finishReason,
    });
    expect(summary.error).toBeUndefined();
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop', usage: expected.usage });
  });

  test.each(modes)('in memory, $name: the same events', async (mode) => {
    const stream = decodeNdjsonStream(replayStream(fixture.body, mode), ollamaChat.createStreamDecoder(), {
      provider: 'local',
    });
    const { events, summary } = await collectEvents(stream);
    assertCanonicalOrder(events, { denseIndices: true });
    expect(summary).toMatchObject({ text: expected.text, usage: expected.usage, finishReason: 'stop' });
  });

  test('cut before the done line: a network error, the text so far kept', async () => {
    const body = Buffer.from(fixture.body as Uint8Array).toString('utf8');
    const cut = body.slice(0, body.lastIndexOf('{"model"'));
    upstream.serve({ ...fixture, body: cut });
    const { events, summary } = await collectEvents(await provider.stream(userRequest('x'), callContext()));
    assertCanonicalOrder(events);
    expect(summary.text).toBe(expected.text);
    expect(summary.error).toMatchObject({ type: 'network', provider: 'local' });
  });
});
