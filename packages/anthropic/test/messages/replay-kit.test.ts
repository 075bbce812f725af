/**
 * Every Anthropic Messages recording through the provider kit's test harness: served by
 * `startFixtureUpstream` in every replay mode (whole, random chunks, every byte, flipped line endings) and read
 * by `createAnthropicProvider` pointed at it, and in memory through `decodeSseStream` + the dialect's decoder.
 * The events keep the canonical order, and the summary is the same in every mode.
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
import { anthropicMessages, createAnthropicProvider } from '../../src/index.ts';

const fixtures = loadFixtures(new URL('../fixtures/anthropic/', import.meta.url), '.sse');
const modes = replayModes({ seeds: [1, 2], maxChunk: 64 });

let upstream: FixtureUpstream;
let provider: Provider;

beforeAll(async () => {
  upstream = await startFixtureUpstream();
  provider = createAnthropicProvider({
    name: 'claude',
    config: providerEntry({ type: 'anthropic', api_key: 'sk-ant-kit', base_url: upstream.url }),
  });
});

afterAll(async () => {
  await provider.close?.();
  await upstream.close();
});

test('there are recordings to replay', () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(6);
});

describe.each(fixtures)('$name', (fixture) => {
  async function overHttp(mode: (typeof modes)[number]) {
    upstream.serve(fixture, { mode });
    const before = upstream.requests.length;
    const collected = await collectEvents(await provider.stream(userRequest('replay'), callContext()));
    const request = upstream.requests[before];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/messages');
    expect(request?.headers['x-api-key']).toBe('sk-ant-kit');
    expect(request?.headers['anthropic-version']).toBeDefined();
    expect(request?.json).toMatchObject({ model: 'upstream-model', stream: true, max_tokens: 1024 });
    return collected;
  }

  function inMemory(mode: (typeof modes)[number]) {
    const decoder = anthropicMessages.createStreamDecoder();
    return collectEvents(decodeSseStream(replayStream(fixture.body, mode), decoder, { provider: 'claude' }));
  }

  let reference: EventSummary;
  let memoryReference: EventSummary;
  beforeAll(async () => {
    reference = (await overHttp(WHOLE)).summary;
    memoryReference = (await inMemory(WHOLE)).summary;
    expect(reference.finishReason).toBeDefined();
    expect(reference.usage.outputTokens).toBeGreaterThan(0);
  });

  test.each(modes)('over HTTP, $name: canonical order, the same summary', async (mode) => {
    const { events, summary } = await overHttp(mode);
    assertCanonicalOrder(events);
    expect(summary).toEqual(reference);
  });

  test.each(modes)('in memory, $name: canonical order, the same summary', async (mode) => {
    const { events, summary } = await inMemory(mode);
    assertCanonicalOrder(events);
    expect(summary).toEqual(memoryReference);
    expect(summary).toEqual(reference);
  });
});
