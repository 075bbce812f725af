/**
 * `type: azure` (Azure OpenAI, both URL forms) behind the Anthropic and Responses client dialects, against
 * a recorded Azure stream (empty-choices filter chunks included) served by a fake upstream on loopback.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createGateway, type Gateway } from '../src/index.ts';
import { serve } from '../src/node.ts';
import { configFrom } from './helpers/config.ts';
import { recording } from './helpers/recording-upstream.ts';
import { fixtureText } from './helpers/sse.ts';

const WIRE = recording('openai/chat-azure-content-filter-results.sse');
let upstream: Server;
let gateway: Gateway;
let server: { url: string; close(grace?: number): Promise<void> };
const seen: Array<{ url: string; key: string | undefined; model: string }> = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      seen.push({
        url: req.url ?? '',
        key: req.headers['api-key'] as string | undefined,
        model: JSON.parse(text).model,
      });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(WIRE);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  gateway = await createGateway(
    configFrom(`
providers:
  az-v1: { type: azure, api_key: az-key, base_url: "${url}", max_retries: 0 }
  az-classic: { type: azure, api_key: az-key, base_url: "${url}", api_version: "2024-10-21", max_retries: 0 }
models:
  gpt-v1: { provider: az-v1, model: my-gpt4o }
  gpt-classic: { provider: az-classic, model: my-gpt4o }
`),
    { logger: () => {} },
  );
  server = await serve(gateway, { host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server.close(0);
  await gateway.close(0);
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

test.each([
  ['gpt-v1', '/openai/v1/chat/completions'],
  ['gpt-classic', '/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21'],
])(
  'Anthropic client → %s: the text, the deployment in the URL or the body, the api-key header',
  async (model, path) => {
    const anthropic = new Anthropic({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
    const message = await anthropic.messages
      .stream({ model, max_tokens: 256, messages: [{ role: 'user', content: 'Hi' }] })
      .finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: fixtureText(WIRE, 'openai') }]);
    expect(seen.at(-1)).toMatchObject({ url: path, key: 'az-key', model: 'my-gpt4o' });
  },
);

test('Responses client → Azure', async () => {
  const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  const final = await openai.responses.stream({ model: 'gpt-v1', input: 'Hi' }).finalResponse();
  expect(final.status).toBe('completed');
  expect(final.usage?.output_tokens).toBeGreaterThan(0);
});
