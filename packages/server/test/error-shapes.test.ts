/**
 * The proxy's own errors in the shapes the real providers send: OpenAI's codes (`model_not_found`,
 * `invalid_api_key`, typed `invalid_request_error`), Anthropic's `{type:'error', error:{...}}`.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { configFrom } from './helpers/config.ts';
import { MODES, post, startTarget, type Target } from './helpers/targets.ts';

const config = () =>
  configFrom(`
server: { api_keys: [client-key-1] }
providers:
  mock: { type: mock, responses: { m: "one two three" } }
models:
  m: { provider: mock }
`);

const auth = { authorization: 'Bearer client-key-1' };
const chat = (model: string) => ({ model, messages: [{ role: 'user', content: 'hi' }] });

describe.each(MODES)('error shapes (%s)', (mode) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget(mode, config());
  });
  afterAll(() => target.close());

  test('unknown model on /v1/chat/completions: 404, invalid_request_error, model_not_found, param model', async () => {
    const res = await post(target, '/v1/chat/completions', chat('gpt-nope'), auth);
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'model_not_found',
      param: 'model',
    });
    expect(body.error.message).toContain("Unknown model 'gpt-nope'");
  });

  test('unknown model on /v1/messages: 404, not_found_error (Anthropic has no codes)', async () => {
    const res = await post(target, '/v1/messages', { ...chat('gpt-nope'), max_tokens: 5 }, auth);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  test.each([
    ['POST', '/v1/chat/completions'],
    ['GET', '/v1/models'],
  ])('%s %s without a key: 401, invalid_request_error, invalid_api_key', async (method, path) => {
    const res = await target.fetch(target.url + path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(method === 'POST' && { body: JSON.stringify(chat('m')) }),
    });
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key', param: null });
    expect(JSON.stringify(body)).not.toContain('client-key-1');
  });

  test('the Anthropic SDK gets its own 401 shape on /v1/messages and /v1/models', async () => {
    const anthropic = new Anthropic({
      baseURL: target.url,
      apiKey: 'wrong',
      fetch: target.fetch,
      maxRetries: 0,
    });
    const created = await anthropic.messages
      .create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(created).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((created as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error' },
    });
    const listed = await anthropic.models.list().catch((e: unknown) => e);
    expect(listed).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((listed as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error' },
    });
  });

  test('the openai SDK reads code and type from the 404 and the 401', async () => {
    const openai = new OpenAI({
      baseURL: `${target.url}/v1`,
      apiKey: 'client-key-1',
      fetch: target.fetch,
      maxRetries: 0,
    });
    const missing = await openai.chat.completions.create(chat('gpt-nope') as never).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect(missing).toMatchObject({ code: 'model_not_found', type: 'invalid_request_error', param: 'model' });
    const keyless = new OpenAI({
      baseURL: `${target.url}/v1`,
      apiKey: 'wrong',
      fetch: target.fetch,
      maxRetries: 0,
    });
    const denied = await keyless.models.list().catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(denied).toMatchObject({ code: 'invalid_api_key', type: 'invalid_request_error' });
  });

  test('an unknown path under /v1/messages: 404 in Anthropic shape, which the Anthropic SDK reads', async () => {
    const res = await target.fetch(`${target.url}/v1/messages/batches`, { headers: auth });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      type: 'error',
      error: { type: 'not_found_error', message: expect.stringContaining('GET /v1/messages/batches') },
    });
    const anthropic = new Anthropic({
      baseURL: target.url,
      apiKey: 'client-key-1',
      fetch: target.fetch,
      maxRetries: 0,
    });
    const error = await anthropic.messages.batches.retrieve('msgbatch_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: 'not_found_error' },
    });
  });
});
