/**
 * An Anthropic client's beta flags (and API version) reach an Anthropic upstream, through the proxy, both
 * streamed (the same-dialect fast path) and not; an OpenAI client's request adds none.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { recipeConfig } from './helpers/config.ts';
import { type FakeUpstream, startFakeUpstream } from './helpers/fake-upstream.ts';
import { MODES, startTarget, type Target } from './helpers/targets.ts';

const BETAS = ['context-1m-2025-08-07', 'interleaved-thinking-2025-05-14'];

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());

describe.each(MODES)('client headers for an Anthropic upstream (%s)', (mode) => {
  let target: Target;
  let anthropic: Anthropic;
  beforeAll(async () => {
    target = await startTarget(mode, recipeConfig(upstream.url));
    anthropic = new Anthropic({
      baseURL: target.url,
      apiKey: 'client-key',
      fetch: target.fetch,
      maxRetries: 0,
    });
  });
  afterAll(() => target.close());

  const lastUpstreamHeaders = () => upstream.requests.at(-1)!.headers;

  test('betas given to the SDK reach the upstream, streamed and not', async () => {
    const stream = anthropic.beta.messages.stream({
      model: 'claude-opus-streaming',
      max_tokens: 64,
      betas: BETAS,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    await stream.finalMessage();
    expect(lastUpstreamHeaders()['anthropic-beta']).toBe(BETAS.join(','));
    expect(lastUpstreamHeaders()['x-api-key']).not.toBe('client-key');

    await anthropic.beta.messages.create({
      model: 'claude-opus',
      max_tokens: 64,
      betas: BETAS,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(lastUpstreamHeaders()['anthropic-beta']).toBe(BETAS.join(','));
  });

  test('defaultHeaders: anthropic-beta and anthropic-version are forwarded', async () => {
    const client = new Anthropic({
      baseURL: target.url,
      apiKey: 'client-key',
      fetch: target.fetch,
      maxRetries: 0,
      defaultHeaders: { 'anthropic-beta': BETAS[0], 'anthropic-version': '2023-01-01' },
    });
    await client.messages.create({
      model: 'claude-opus',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(lastUpstreamHeaders()).toMatchObject({
      'anthropic-beta': BETAS[0],
      'anthropic-version': '2023-01-01',
    });
  });

  test('an OpenAI client sends no beta flags to an Anthropic upstream', async () => {
    const openai = new OpenAI({
      baseURL: `${target.url}/v1`,
      apiKey: 'client-key',
      fetch: target.fetch,
      maxRetries: 0,
      defaultHeaders: { 'anthropic-beta': BETAS[0] },
    });
    await openai.chat.completions.create({
      model: 'claude-opus',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(lastUpstreamHeaders()['anthropic-beta']).toBeUndefined();
    expect(lastUpstreamHeaders()['anthropic-version']).toBe('2023-06-01');
  });
});
