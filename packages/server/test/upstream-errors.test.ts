/** Upstream failures through a real fake upstream: before the first byte, mid-stream, and client disconnect. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { recipeConfig } from './helpers/config.ts';
import { type FakeUpstream, startFakeUpstream } from './helpers/fake-upstream.ts';
import { parsePrometheus } from './helpers/prometheus.ts';
import { parseSseText } from './helpers/sse.ts';
import { MODES, post, startTarget, type Target } from './helpers/targets.ts';

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());

const MODELS = `
  oa-429: { provider: openai, model: "status:429" }
  oa-500: { provider: openai, model: "status:500" }
  an-529: { provider: anthropic, model: "status:529" }
  oa-cut: { provider: openai, model: "midstream-cut:openai/chat-text-include-usage.sse" }
  an-cut: { provider: anthropic, model: "midstream-cut:anthropic/text.sse" }
  oa-hang: { provider: openai, model: "hang:openai/chat-text-include-usage.sse" }
  an-hang: { provider: anthropic, model: "hang:anthropic/text.sse" }
`;

const ask = (model: string, stream: boolean) => ({
  model,
  stream,
  max_tokens: 50,
  messages: [{ role: 'user', content: 'hi' }],
});

describe.each(MODES)('upstream errors (%s)', (mode) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget(mode, recipeConfig(upstream.url, MODELS));
  });
  afterAll(() => target.close());

  test('429 before the first byte: status, Retry-After and body in each client dialect', async () => {
    const anthropic = await post(target, '/v1/messages', ask('oa-429', true));
    expect(anthropic.status).toBe(429);
    expect(anthropic.headers.get('retry-after')).toBe('7');
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    const openai = await post(target, '/v1/chat/completions', ask('oa-429', false));
    expect(openai.status).toBe(429);
    const body = await openai.json();
    expect(body.error.message).toContain('upstream says 429');
  });

  test('5xx and 529 before the first byte keep a server status, in the client dialect', async () => {
    const openai = await post(target, '/v1/chat/completions', ask('oa-500', true));
    expect(openai.status).toBeGreaterThanOrEqual(500);
    expect((await openai.json()).error).toBeDefined();
    const anthropic = await post(target, '/v1/messages', ask('an-529', true));
    expect([503, 529]).toContain(anthropic.status);
    expect((await anthropic.json()).error.type).toBe('overloaded_error');
    const samples = parsePrometheus(await (await target.fetch(`${target.url}/metrics`)).text());
    expect(samples.get('tokenpak_active_streams')).toBe(0);
  });

  test.each([
    ['/v1/messages', 'oa-cut'],
    ['/v1/messages', 'an-cut'],
    ['/v1/chat/completions', 'oa-cut'],
    ['/v1/chat/completions', 'an-cut'],
  ])(
    'upstream hangs up mid-stream (%s, %s): error event in the dialect, then a clean close',
    async (path, model) => {
      const res = await post(target, path, ask(model, true));
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text.endsWith('\n\n')).toBe(true);
      const { events } = parseSseText(text);
      const last = events.at(-1)!;
      const data = JSON.parse(last.data);
      if (path === '/v1/messages') {
        expect(last.event).toBe('error');
        expect(data.type).toBe('error');
      } else {
        expect(data.error).toBeDefined();
      }
      for (const e of events) if (e.data !== '[DONE]') JSON.parse(e.data);
    },
  );

  test.each([
    ['/v1/messages', 'oa-hang'],
    ['/v1/chat/completions', 'an-hang'],
  ])(
    'client disconnect (%s, %s) closes the upstream socket and frees the slot',
    async (path, model) => {
      const closedBefore = upstream.closedResponses;
      const controller = new AbortController();
      const res = await target.fetch(`${target.url}${path}`, {
        method: 'POST',
        body: JSON.stringify(ask(model, true)),
        headers: { 'content-type': 'application/json' },
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      await reader.read();
      if (mode === 'in-process') await reader.cancel();
      else controller.abort();
      await upstream.waitForClosedResponses(closedBefore + 1);
      expect(upstream.closedResponses).toBeGreaterThan(closedBefore);
      await expect.poll(() => target.gateway.limiter.active, { timeout: 2000 }).toBe(0);
    },
    5000,
  );
});
