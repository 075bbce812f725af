/** What reaches Azure: the deployment in `model`, usage asked for in streams, and max tokens by api-version. */
import type { Provider, ProviderConfigEntry } from '@tokenpak/provider';
import {
  callContext,
  type FakeUpstream,
  providerEntry,
  readAll,
  startFakeUpstream,
  userRequest,
} from '@tokenpak/provider-utils/test';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { createAzureOpenAIProvider } from '../../src/index.ts';

let upstream: FakeUpstream;
const providers: Provider[] = [];

beforeAll(async () => {
  upstream = await startFakeUpstream((_request, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(
      'data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
    );
  });
});
afterEach(() => {
  upstream.requests.length = 0;
});
afterAll(async () => {
  for (const provider of providers) await provider.close?.();
  await upstream.close();
});

async function sent(
  options: Partial<ProviderConfigEntry>,
  sourceDialect: 'openai-chat' | 'anthropic-messages',
) {
  const provider = createAzureOpenAIProvider({
    name: 'az',
    config: providerEntry({ type: 'azure', base_url: upstream.url, api_key: 'k', ...options }),
  });
  providers.push(provider);
  await readAll(await provider.stream(userRequest('Hi', { maxTokens: 50, sourceDialect }), callContext()));
  return upstream.requests.at(-1)?.json as Record<string, unknown>;
}

test('v1 form, from another dialect: max_completion_tokens (reasoning deployments refuse max_tokens)', async () => {
  const body = await sent({}, 'anthropic-messages');
  expect(body).toMatchObject({
    model: 'upstream-model',
    max_completion_tokens: 50,
    stream_options: { include_usage: true },
  });
  expect(body.max_tokens).toBeUndefined();
});

test('classic form with an api-version that knows max_completion_tokens', async () => {
  const body = await sent({ api_version: '2024-12-01-preview', deployment: 'dep' }, 'anthropic-messages');
  expect(body).toMatchObject({ model: 'dep', max_completion_tokens: 50 });
});

test('classic form with an older api-version: max_tokens', async () => {
  const body = await sent({ api_version: '2024-06-01' }, 'anthropic-messages');
  expect(body).toMatchObject({ max_tokens: 50 });
  expect(body.max_completion_tokens).toBeUndefined();
});

test("an OpenAI client's own choice is kept", async () => {
  const body = await sent({}, 'openai-chat');
  expect(body).toMatchObject({ max_tokens: 50 });
});
