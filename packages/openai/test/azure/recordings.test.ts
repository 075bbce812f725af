/**
 * Azure's recorded streams (fixtures/openai/chat-azure-*.sse: a first frame with empty `choices` carrying
 * `prompt_filter_results`, `content_filter_results` on every choice, usage in a last frame with empty
 * `choices`) through `createAzureOpenAIProvider` in both URL forms, served by the kit's fixture upstream in
 * every replay mode. The text, finish reason and usage are read off the recordings themselves.
 */
import type { Provider } from '@tokenpak/provider';
import {
  assertCanonicalOrder,
  callContext,
  collectEvents,
  type Fixture,
  type FixtureUpstream,
  loadFixtures,
  providerEntry,
  replayModes,
  startFixtureUpstream,
  userRequest,
} from '@tokenpak/provider-utils/test';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAzureOpenAIProvider } from '../../src/index.ts';

const recordings = loadFixtures(new URL('../fixtures/openai/', import.meta.url), '.sse').filter((f) =>
  f.name.startsWith('chat-azure-'),
);

/** What a client must see, computed from the recording's own frames. */
function expected(fixture: Fixture) {
  const text = typeof fixture.body === 'string' ? fixture.body : new TextDecoder().decode(fixture.body);
  let content = '';
  let finish: string | undefined;
  let usage:
    | {
        prompt_tokens: number;
        completion_tokens: number;
        completion_tokens_details?: { reasoning_tokens?: number };
      }
    | undefined;
  let promptFilterFrames = 0;
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const frame = JSON.parse(line.slice(6));
    if (frame.prompt_filter_results) promptFilterFrames++;
    for (const choice of frame.choices) {
      content += choice.delta?.content ?? '';
      finish = choice.finish_reason ?? finish;
    }
    if (frame.usage) usage = frame.usage;
  }
  if (!usage || !finish) throw new Error(`${fixture.name}: no usage or finish reason`);
  return { content, finish, usage, promptFilterFrames };
}

const modes = replayModes({ seeds: [1, 2], maxChunk: 48 });
const API_VERSION = '2024-10-21';

let upstream: FixtureUpstream;
let classic: Provider;
let v1: Provider;

beforeAll(async () => {
  upstream = await startFixtureUpstream();
  classic = createAzureOpenAIProvider({
    name: 'az',
    config: providerEntry({
      type: 'azure',
      base_url: `${upstream.url}/`,
      api_version: API_VERSION,
      api_key: 'azure-key-123456',
    }),
  });
  v1 = createAzureOpenAIProvider({
    name: 'az1',
    config: providerEntry({
      type: 'azure',
      base_url: `${upstream.url}/openai/v1/`,
      deployment: 'gpt-4o-mini-prod',
      azure_ad_token: 'eyJ0eXAiOiJKV1Qi.token',
    }),
  });
});

afterAll(async () => {
  await classic.close?.();
  await v1.close?.();
  await upstream.close();
});

test('there are Azure recordings, with the quirks this file is about', () => {
  expect(recordings.map((f) => f.name)).toEqual([
    'chat-azure-content-filter-results.sse',
    'chat-azure-reasoning-model-router.sse',
  ]);
  for (const fixture of recordings) expect(expected(fixture).promptFilterFrames).toBe(1);
});

const forms = [
  {
    form: 'classic',
    provider: () => classic,
    model: 'my-deployment',
    url: `/openai/deployments/my-deployment/chat/completions?api-version=${API_VERSION}`,
    bodyModel: 'my-deployment',
    headers: { 'api-key': 'azure-key-123456', authorization: undefined },
  },
  {
    form: 'v1',
    provider: () => v1,
    model: 'alias-model',
    url: '/openai/v1/chat/completions',
    bodyModel: 'gpt-4o-mini-prod',
    headers: { authorization: 'Bearer eyJ0eXAiOiJKV1Qi.token', 'api-key': undefined },
  },
];

describe.each(recordings)('$name', (fixture) => {
  const want = expected(fixture);

  describe.each(forms)('$form URL form', (form) => {
    test.each(modes)('$name: the text, finish and usage of the recording', async (mode) => {
      upstream.serve(fixture, { mode });
      const before = upstream.requests.length;
      const { events, summary } = await collectEvents(
        await form.provider().stream(userRequest('Hi'), callContext({ model: form.model })),
      );
      assertCanonicalOrder(events);
      expect(summary.error).toBeUndefined();
      expect(summary.text).toBe(want.content);
      expect(summary.finishReason).toBe(want.finish);
      expect(summary.usage).toMatchObject({
        inputTokens: want.usage.prompt_tokens,
        outputTokens: want.usage.completion_tokens,
        reasoningTokens: want.usage.completion_tokens_details?.reasoning_tokens,
      });
      // The prompt-filter frame (empty choices, no id) neither opens a block nor names the message.
      expect(summary.blockTypes).toEqual(['text']);
      expect(summary.id).toMatch(/^chatcmpl-/);

      const request = upstream.requests[before];
      expect(request?.method).toBe('POST');
      expect(request?.url).toBe(form.url);
      for (const [header, value] of Object.entries(form.headers))
        expect(request?.headers[header]).toBe(value);
      expect(request?.json).toMatchObject({
        model: form.bodyModel,
        stream: true,
        stream_options: { include_usage: true },
      });
    });
  });
});

test("finish_reason content_filter (Azure's filter stopping the answer) is the canonical content-filter", async () => {
  const [recording] = recordings;
  if (!recording) throw new Error('no recording');
  const text = new TextDecoder().decode(recording.body as Uint8Array);
  const filtered: Fixture = {
    ...recording,
    name: 'content-filter',
    body: text.replace('"finish_reason":"stop"', '"finish_reason":"content_filter"'),
  };
  expect(filtered.body).toContain('"finish_reason":"content_filter"');
  upstream.serve(filtered);
  const { events, summary } = await collectEvents(
    await classic.stream(userRequest('Hi'), callContext({ model: 'd' })),
  );
  assertCanonicalOrder(events);
  expect(summary.finishReason).toBe('content-filter');
  expect(summary.text).toBe(expected(recording).content);
});

test('a whole (non-streamed) Azure body with prompt_filter_results', async () => {
  upstream.handle((_request, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o-mini-2024-07-18',
        prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
        choices: [
          {
            index: 0,
            finish_reason: 'stop',
            message: { role: 'assistant', content: 'Hello!' },
            content_filter_results: { hate: { filtered: false, severity: 'safe' } },
          },
        ],
        usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
      }),
    );
  });
  const before = upstream.requests.length;
  const response = await v1.complete(userRequest('Hi', { stream: false }), callContext({ model: 'x' }));
  expect(response).toMatchObject({
    content: [{ type: 'text', text: 'Hello!' }],
    finishReason: 'stop',
    usage: { inputTokens: 9, outputTokens: 2 },
  });
  const request = upstream.requests[before];
  expect(request?.url).toBe('/openai/v1/chat/completions');
  expect(request?.json).toMatchObject({ model: 'gpt-4o-mini-prod', stream: false });
  expect(request?.json).not.toHaveProperty('stream_options');
});
