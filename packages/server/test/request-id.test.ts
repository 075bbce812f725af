/**
 * `x-request-id` (read by the openai SDK) and `request-id` (read by the Anthropic SDK) on every response,
 * the same value: checked through both official SDKs and on routes outside any dialect.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { configFrom } from './helpers/config.ts';
import { MODES, startTarget, type Target } from './helpers/targets.ts';

const config = () =>
  configFrom(`
server: { api_keys: [client-key-1] }
providers:
  mock: { type: mock, responses: { m: "one two three" } }
models:
  m: { provider: mock }
`);

describe.each(MODES)('request ids (%s)', (mode) => {
  let target: Target;
  let anthropic: Anthropic;
  let openai: OpenAI;
  beforeAll(async () => {
    target = await startTarget(mode, config());
    anthropic = new Anthropic({
      baseURL: target.url,
      apiKey: 'client-key-1',
      fetch: target.fetch,
      maxRetries: 0,
    });
    openai = new OpenAI({
      baseURL: `${target.url}/v1`,
      apiKey: 'client-key-1',
      fetch: target.fetch,
      maxRetries: 0,
    });
  });
  afterAll(() => target.close());

  test('Anthropic SDK: msg._request_id is the id of the log line', async () => {
    const message = await anthropic.messages.create({
      model: 'm',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(message._request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(target.logs.map((line) => line.request_id)).toContain(message._request_id);
  });

  test('Anthropic SDK: a streamed answer and an error carry the id too', async () => {
    const stream = anthropic.messages.stream({
      model: 'm',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    await stream.finalMessage();
    expect(stream.request_id).toMatch(/^[0-9a-f-]{36}$/);
    const keyless = new Anthropic({
      baseURL: target.url,
      apiKey: 'wrong',
      fetch: target.fetch,
      maxRetries: 0,
    });
    const error = await keyless.messages
      .create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as InstanceType<typeof Anthropic.APIError>).requestID).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('openai SDK: _request_id and APIError.requestID', async () => {
    const completion = await openai.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion._request_id).toMatch(/^[0-9a-f-]{36}$/);
    const error = await openai.chat.completions
      .create({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.APIError>).requestID).toMatch(/^[0-9a-f-]{36}$/);
  });

  test.each([
    ['GET', '/health'],
    ['GET', '/metrics'],
    ['HEAD', '/v1/models'],
    ['GET', '/v1/models'],
    ['GET', '/nowhere'],
    ['DELETE', '/v1/chat/completions'],
  ])('%s %s: both headers, equal; a sane client id is kept', async (method, path) => {
    const minted = await target.fetch(target.url + path, {
      method,
      headers: { authorization: 'Bearer client-key-1' },
    });
    await minted.body?.cancel();
    const id = minted.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(minted.headers.get('request-id')).toBe(id);
    const kept = await target.fetch(target.url + path, {
      method,
      headers: { authorization: 'Bearer client-key-1', 'x-request-id': 'trace-7' },
    });
    await kept.body?.cancel();
    expect(kept.headers.get('x-request-id')).toBe('trace-7');
    expect(kept.headers.get('request-id')).toBe('trace-7');
  });
});
