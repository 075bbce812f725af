/** GET /v1/models/{id}: models.retrieve() of both official SDKs; unknown ids are 404 model_not_found. */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { configFrom } from './helpers/config.ts';
import { MODES, startTarget, type Target } from './helpers/targets.ts';

const config = () =>
  configFrom(`
server: { api_keys: [client-key-1] }
providers:
  mock: { type: mock }
models:
  fast: { provider: mock }
  team/smart: { provider: mock, model: upstream-smart }
`);

describe.each(MODES)('GET /v1/models/{id} (%s)', (mode) => {
  let target: Target;
  let openai: OpenAI;
  let anthropic: Anthropic;
  beforeAll(async () => {
    target = await startTarget(mode, config());
    openai = new OpenAI({
      baseURL: `${target.url}/v1`,
      apiKey: 'client-key-1',
      fetch: target.fetch,
      maxRetries: 0,
    });
    anthropic = new Anthropic({
      baseURL: target.url,
      apiKey: 'client-key-1',
      fetch: target.fetch,
      maxRetries: 0,
    });
  });
  afterAll(() => target.close());

  test('openai SDK: retrieve an alias (one with a slash too)', async () => {
    const fast = await openai.models.retrieve('fast');
    expect(fast).toMatchObject({ id: 'fast', object: 'model', owned_by: 'mock' });
    expect(typeof fast.created).toBe('number');
    expect((await openai.models.retrieve('team/smart')).id).toBe('team/smart');
  });

  test('openai SDK: an unknown id is NotFoundError with model_not_found', async () => {
    const error = await openai.models.retrieve('gpt-nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ code: 'model_not_found', type: 'invalid_request_error', param: 'model' });
    expect((error as Error).message).toContain("'gpt-nope'");
  });

  test('Anthropic SDK: retrieve gives ModelInfo; an unknown id is NotFoundError', async () => {
    const info = await anthropic.models.retrieve('fast');
    expect(info).toMatchObject({ type: 'model', id: 'fast', display_name: 'fast' });
    const error = await anthropic.models.retrieve('claude-nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
    });
  });

  // POST is allowed under /v1/models/: Gemini's `models/{model}:generateContent` (the @google/genai SDK's /v1).
  test('needs a client key; a wrong method is 405 with Allow: GET, HEAD, POST; HEAD has no body', async () => {
    const keyless = await target.fetch(`${target.url}/v1/models/fast`);
    expect(keyless.status).toBe(401);
    await keyless.body?.cancel();
    const wrong = await target.fetch(`${target.url}/v1/models/fast`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer client-key-1' },
    });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD, POST');
    await wrong.body?.cancel();
    const head = await target.fetch(`${target.url}/v1/models/fast`, {
      method: 'HEAD',
      headers: { authorization: 'Bearer client-key-1' },
    });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
