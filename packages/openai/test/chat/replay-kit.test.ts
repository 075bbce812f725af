/**
 * Every Chat Completions recording (openai/chat-*.sse and openai-compatible/*.sse) through the provider kit's
 * test harness: served by `startFixtureUpstream` in every replay mode (whole, random chunks, every byte,
 * flipped line endings) and read by the real provider pointed at it (`createOpenAIProvider` /
 * `createOpenAICompatibleProvider` with `base_url`), and in memory through `decodeSseStream` + the dialect's
 * decoder. The events keep the canonical order, and the summary is the same in every mode.
 */
import type { Provider } from '@tokenpak/provider';
import { decodeSseStream } from '@tokenpak/provider-utils';
import {
  assertCanonicalOrder,
  callContext,
  collectEvents,
  type EventSummary,
  type FixtureUpstream,
  loadFixtures,
  providerEntry,
  replayModes,
  replayStream,
  startFixtureUpstream,
  userRequest,
  WHOLE,
} from '@tokenpak/provider-utils/test';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createOpenAICompatibleProvider, createOpenAIProvider, openaiChat } from '../../src/index.ts';

const FIXTURES = new URL('../fixtures/', import.meta.url);
const fixtures = [
  ...loadFixtures(new URL('openai/', FIXTURES), '.sse')
    .filter((f) => f.name.startsWith('chat-'))
    .map((f) => ({ ...f, name: `openai/${f.name}`, compatible: false })),
  ...loadFixtures(new URL('openai-compatible/', FIXTURES), '.sse').map((f) => ({
    ...f,
    name: `openai-compatible/${f.name}`,
    compatible: true,
  })),
];
const modes = replayModes({ seeds: [1, 2], maxChunk: 64 });

let upstream: FixtureUpstream;
let openai: Provider;
let compatible: Provider;

beforeAll(async () => {
  upstream = await startFixtureUpstream();
  openai = createOpenAIProvider({
    name: 'openai',
    config: providerEntry({ type: 'openai', api_key: 'sk-kit', base_url: `${upstream.url}/v1` }),
  });
  compatible = createOpenAICompatibleProvider({
    name: 'compat',
    config: providerEntry({
      type: 'openai-compatible',
      api_key: 'sk-kit',
      base_url: `${upstream.url}/compat/v1`,
    }),
  });
});

afterAll(async () => {
  await openai.close?.();
  await compatible.close?.();
  await upstream.close();
});

test('there are recordings to replay', () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(13);
});

describe.each(fixtures)('$name', (fixture) => {
  const provider = () => (fixture.compatible ? compatible : openai);

  async function overHttp(mode: (typeof modes)[number]) {
    upstream.serve(fixture, { mode });
    const before = upstream.requests.length;
    const collected = await collectEvents(await provider().stream(userRequest('replay'), callContext()));
    const request = upstream.requests[before];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(fixture.compatible ? '/compat/v1/chat/completions' : '/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer sk-kit');
    expect(request?.json).toMatchObject({ model: 'upstream-model', stream: true });
    return collected;
  }

  function inMemory(mode: (typeof modes)[number]) {
    const stream = decodeSseStream(replayStream(fixture.body, mode), openaiChat.createStreamDecoder(), {
      provider: 'openai',
    });
    return collectEvents(stream);
  }

  let reference: EventSummary;
  let memoryReference: EventSummary;
  beforeAll(async () => {
    reference = (await overHttp(WHOLE)).summary;
    memoryReference = (await inMemory(WHOLE)).summary;
    // The summary says something: a finish, or an error (groq's mid-stream error event).
    expect(reference.finishReason ?? reference.error?.type).toBeDefined();
  });

  test.each(modes)('over HTTP, $name: canonical order, the same summary', async (mode) => {
    const { events, summary } = await overHttp(mode);
    assertCanonicalOrder(events);
    expect(summary).toEqual(reference);
  });

  test.each(modes)('in memory, $name: canonical order, the same summary', async (mode) => {
    const { events, summary } = await inMemory(mode);
    assertCanonicalOrder(events, { denseIndices: true });
    expect(summary).toEqual(memoryReference);
    // What the user sees does not depend on the transport (errors may differ in their provider name).
    expect({ ...summary, error: undefined }).toEqual({ ...reference, error: undefined });
  });
});
