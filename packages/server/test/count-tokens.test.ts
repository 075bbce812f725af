/**
 * POST /v1/messages/count_tokens through the Anthropic SDK: forwarded to an anthropic provider's upstream
 * (a local server here) with the upstream model id and the provider's key; 400 for other providers.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { configFrom } from './helpers/config.ts';
import { MODES, startTarget, type Target } from './helpers/targets.ts';

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

let upstream: Server;
let upstreamUrl: string;
const seen: Seen[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      seen.push({ path: req.url ?? '', headers: req.headers, body });
      if (body.model === 'claude-overloaded') {
        res.writeHead(529, { 'content-type': 'application/json' });
        res.end('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ input_tokens: 11 + (body.messages as unknown[]).length }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

const config = () =>
  configFrom(
    `
server: { api_keys: [client-key-1] }
providers:
  anthropic: { type: anthropic, api_key: "\${ANTHROPIC_API_KEY}", base_url: ${upstreamUrl} }
  mock: { type: mock }
models:
  claude: { provider: anthropic, model: claude-upstream-id }
  busy: { provider: anthropic, model: claude-overloaded }
  local: { provider: mock }
`,
    { ANTHROPIC_API_KEY: 'sk-ant-provider-SECRET' },
  );

describe.each(MODES)('count_tokens (%s)', (mode) => {
  let target: Target;
  let anthropic: Anthropic;
  beforeAll(async () => {
    target = await startTarget(mode, config());
    anthropic = new Anthropic({
      baseURL: target.url,
      apiKey: 'client-key-1',
      fetch: target.fetch,
      maxRetries: 0,
    });
  });
  afterAll(() => target.close());

  test('an anthropic alias: forwarded with the upstream model id and the provider key, answer passed back', async () => {
    seen.length = 0;
    const count = await anthropic.messages.countTokens({
      model: 'claude',
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
        { role: 'user', content: 'count me' },
      ],
    });
    expect(count.input_tokens).toBe(14);
    expect(seen).toHaveLength(1);
    const call = seen[0] as Seen;
    expect(call.path).toBe('/v1/messages/count_tokens');
    expect(call.body).toMatchObject({ model: 'claude-upstream-id', system: 'Be brief.' });
    expect(call.headers['x-api-key']).toBe('sk-ant-provider-SECRET');
    expect(call.headers['anthropic-version']).toBe('2023-06-01');
    expect(JSON.stringify(call.headers)).not.toContain('client-key-1');
  });

  test('an upstream error keeps its status and type, in Anthropic shape', async () => {
    const error = await anthropic.messages
      .countTokens({ model: 'busy', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error' },
    });
  });

  test('an alias on another provider: 400 saying count_tokens needs Anthropic; unknown alias: 404', async () => {
    const error = await anthropic.messages
      .countTokens({ model: 'local', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    const body = (error as InstanceType<typeof Anthropic.APIError>).error as {
      type: string;
      error: { type: string; message: string };
    };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('only available for aliases served by an Anthropic provider');
    const missing = await anthropic.messages
      .countTokens({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
  });

  test('needs a client key; GET is 405 with Allow: POST', async () => {
    const keyless = new Anthropic({
      baseURL: target.url,
      apiKey: 'wrong',
      fetch: target.fetch,
      maxRetries: 0,
    });
    const denied = await keyless.messages
      .countTokens({ model: 'claude', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(Anthropic.AuthenticationError);
    const get = await target.fetch(`${target.url}/v1/messages/count_tokens`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    await get.body?.cancel();
  });
});
