/** GET /v1/models in each SDK's own list shape, read by the official clients' models.list(). */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { configFrom } from './helpers/config.ts';
import { MODES, startTarget, type Target } from './helpers/targets.ts';

const config = () =>
  configFrom(`
providers:
  mock: { type: mock }
  other: { type: mock }
models:
  fast: { provider: mock }
  smart: { provider: other, model: upstream-smart }
  tiny: { provider: mock }
`);

describe.each(MODES)('GET /v1/models (%s)', (mode) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget(mode, config());
  });
  afterAll(() => target.close());

  test('openai SDK: models.list() pages through OpenAI model objects', async () => {
    const openai = new OpenAI({
      baseURL: `${target.url}/v1`,
      apiKey: 'k',
      fetch: target.fetch,
      maxRetries: 0,
    });
    const ids: string[] = [];
    for await (const model of openai.models.list()) {
      expect(model.object).toBe('model');
      expect(typeof model.created).toBe('number');
      ids.push(model.id);
    }
    expect(ids).toEqual(['fast', 'smart', 'tiny']);
  });

  test('Anthropic SDK: models.list() gets Anthropic ModelInfo objects and stops after one page', async () => {
    const anthropic = new Anthropic({ baseURL: target.url, apiKey: 'k', fetch: target.fetch, maxRetries: 0 });
    const seen: Anthropic.ModelInfo[] = [];
    for await (const model of anthropic.models.list()) seen.push(model);
    expect(seen.map((m) => m.id)).toEqual(['fast', 'smart', 'tiny']);
    expect(seen[1]).toEqual({
      type: 'model',
      id: 'smart',
      display_name: 'smart',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
    });
  });

  test('the raw Anthropic list: has_more false, first_id and last_id', async () => {
    const res = await target.fetch(`${target.url}/v1/models`, {
      headers: { 'anthropic-version': '2023-06-01' },
    });
    const body = await res.json();
    expect(body).toMatchObject({ has_more: false, first_id: 'fast', last_id: 'tiny' });
    expect(body.object).toBeUndefined();
  });
});
