/**
 * Error paths and bad input over a real socket (`serve`) with real openai/anthropic providers pointed at
 * local upstreams: idle timeout mid-stream, first-byte timeout, an unreachable upstream, client keys with
 * real upstream requests, the size limit on a streamed request body, the concurrency limit with real aborts.
 */
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { configFrom } from './helpers/config.ts';
import { type FakeUpstream, startFakeUpstream } from './helpers/fake-upstream.ts';
import { type PacedUpstream, startPacedUpstream } from './helpers/paced-upstream.ts';
import { parsePrometheus, sumSamples } from './helpers/prometheus.ts';
import { parseSseText } from './helpers/sse.ts';
import { post, startTarget, type Target } from './helpers/targets.ts';

const PROVIDER_KEY = 'sk-provider-SECRET-9';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const ask = (model: string, stream: boolean, extra: Record<string, unknown> = {}) => ({
  model,
  stream,
  max_tokens: 50,
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

async function metrics(target: Target): Promise<Map<string, number>> {
  return parsePrometheus(await (await target.fetch(`${target.url}/metrics`)).text());
}

describe('upstream timeouts and failures (socket, real providers)', () => {
  let paced: PacedUpstream;
  let target: Target;
  beforeAll(async () => {
    paced = await startPacedUpstream();
    const port = await closedPort();
    target = await startTarget(
      'socket',
      configFrom(`
streaming:
  resume: { enabled: false }
  buffer_tokens: 1
providers:
  idle:
    type: openai
    max_retries: 0
    api_key: ${PROVIDER_KEY}
    base_url: ${paced.url}/v1
    idle_timeout_ms: 300
  first-byte:
    type: openai
    max_retries: 0
    api_key: ${PROVIDER_KEY}
    base_url: ${paced.url}/v1
    timeout_ms: 300
  gone:
    type: anthropic
    max_retries: 0
    api_key: ${PROVIDER_KEY}
    base_url: http://127.0.0.1:${port}
models:
  stalls: { provider: idle, model: "stall:3" }
  never-answers: { provider: first-byte, model: silent }
  unreachable: { provider: gone, model: claude-x }
`),
    );
  });
  afterAll(async () => {
    await target?.close();
    await paced?.close();
  });

  test.each(['/v1/messages', '/v1/chat/completions'])(
    'idle timeout mid-stream (%s): the tokens so far, the dialect error event naming idle_timeout_ms, a clean close',
    async (path) => {
      const abandonedBefore = paced.abandoned;
      const res = await post(target, path, ask('stalls', true));
      expect(res.status).toBe(200);
      const text = await res.text(); // ends: the stall became an error, not a hung stream
      expect(text.endsWith('\n\n')).toBe(true);
      const { events } = parseSseText(text);
      for (const e of events) if (e.data !== '[DONE]') JSON.parse(e.data);
      const error = events.find((e) => e.data.includes('idle_timeout_ms'));
      expect(error, text).toBeDefined();
      const body = JSON.parse(error!.data);
      if (path === '/v1/messages') {
        expect(error!.event).toBe('error');
        expect(body).toMatchObject({ type: 'error', error: { type: expect.any(String) } });
        expect(events.at(-1)).toBe(error);
        const deltas = events.filter((e) => e.event === 'content_block_delta');
        expect(deltas.map((e) => JSON.parse(e.data).delta.text).join('')).toBe('w1 w2 w3');
      } else {
        expect(body.error.message).toContain('sent nothing for 300 ms');
        expect(events.filter((e) => e.data !== '[DONE]').at(-1)).toBe(error);
        const content = events
          .filter((e) => e.data !== '[DONE]' && e !== error)
          .map((e) => JSON.parse(e.data).choices[0]?.delta?.content ?? '')
          .join('');
        expect(content).toBe('w1 w2 w3');
      }
      expect(text).not.toContain(PROVIDER_KEY);
      // The stalled upstream response was closed by the proxy, and the slot came back.
      await paced.waitForAbandoned(abandonedBefore + 1);
      await expect.poll(() => target.gateway.limiter.active, { timeout: 2000 }).toBe(0);
      expect(target.logs.at(-1)).toMatchObject({ model: 'stalls', outcome: 'upstream_error' });
    },
    5000,
  );

  test.each([
    ['/v1/messages', true],
    ['/v1/chat/completions', false],
  ])(
    'no first byte within timeout_ms (%s, stream %s): 504 in the dialect naming timeout_ms',
    async (path, stream) => {
      const res = await post(target, path, ask('never-answers', stream));
      expect(res.status).toBe(504);
      const body = await res.json();
      if (path === '/v1/messages') expect(body.type).toBe('error');
      expect(body.error.message).toContain('timeout_ms');
      expect(JSON.stringify(body)).not.toContain(PROVIDER_KEY);
      expect((await metrics(target)).get('tokenpak_active_streams')).toBe(0);
    },
    5000,
  );

  test.each([
    ['/v1/messages', true],
    ['/v1/chat/completions', true],
    ['/v1/chat/completions', false],
  ])(
    'an upstream that refuses connections (%s, stream %s): 502 in the dialect, never a crash',
    async (path, stream) => {
      const res = await post(target, path, ask('unreachable', stream));
      expect(res.status).toBe(502);
      const body = await res.json();
      if (path === '/v1/messages') expect(body.type).toBe('error');
      expect(body.error.message).toContain('connection refused');
      expect(JSON.stringify(body)).not.toContain(PROVIDER_KEY);
      expect((await target.fetch(`${target.url}/health`)).status).toBe(200);
    },
  );
});

describe('client keys with real upstream requests (socket)', () => {
  let upstream: FakeUpstream;
  let target: Target;
  beforeAll(async () => {
    upstream = await startFakeUpstream();
    target = await startTarget(
      'socket',
      configFrom(`
server:
  api_keys: [client-key-ALPHA, client-key-BETA]
streaming:
  resume: { enabled: false }
  buffer_tokens: 1
providers:
  openai:
    type: openai
    max_retries: 0
    api_key: sk-openai-SECRET-1
    base_url: ${upstream.url}/v1
  anthropic:
    type: anthropic
    max_retries: 0
    api_key: sk-ant-SECRET-2
    base_url: ${upstream.url}
models:
  gpt-4o-mini: { provider: openai }
  claude-3-5-haiku: { provider: anthropic }
  translated: { provider: openai, model: gpt-4o-mini, buffer_tokens: 3 }
`),
    );
  });
  afterAll(async () => {
    await target?.close();
    await upstream?.close();
  });

  test('without a valid key: 401 in the dialect and nothing reaches the upstream', async () => {
    const before = upstream.requests.length;
    const none = await post(target, '/v1/messages', ask('claude-3-5-haiku', true));
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const wrong = await post(target, '/v1/chat/completions', ask('gpt-4o-mini', true), {
      authorization: 'Bearer sk-openai-SECRET-1', // a provider key is not a client key
    });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error).toBeDefined();
    expect(upstream.requests.length).toBe(before);
  });

  test.each([
    ['/v1/chat/completions', 'gpt-4o-mini', { authorization: 'Bearer client-key-ALPHA' }],
    ['/v1/chat/completions', 'translated', { 'x-api-key': 'client-key-BETA' }],
    ['/v1/messages', 'claude-3-5-haiku', { 'x-api-key': 'client-key-ALPHA' }],
    ['/v1/messages', 'gpt-4o-mini', { authorization: 'Bearer client-key-BETA' }],
    ['/v1/chat/completions', 'claude-3-5-haiku', { authorization: 'Bearer client-key-ALPHA' }],
  ])(
    '%s → %s with a client key: served, and the upstream gets only the provider key',
    async (path, model, headers) => {
      const before = upstream.requests.length;
      const res = await post(target, path, ask(model, true), headers);
      expect(res.status).toBe(200);
      await res.text();
      const seen = upstream.requests.slice(before);
      expect(seen).toHaveLength(1);
      const sent = seen[0]!.headers;
      expect(JSON.stringify(sent)).not.toContain('client-key');
      if (seen[0]!.path === '/v1/messages') {
        expect(sent['x-api-key']).toBe('sk-ant-SECRET-2');
        expect(sent.authorization).toBeUndefined();
      } else {
        expect(sent.authorization).toBe('Bearer sk-openai-SECRET-1');
        expect(sent['x-api-key']).toBeUndefined();
      }
    },
  );

  test('client and provider keys never reach the log lines', () => {
    const logs = JSON.stringify(target.logs);
    expect(target.logs.length).toBeGreaterThanOrEqual(7);
    expect(logs).not.toContain('client-key');
    expect(logs).not.toContain('SECRET');
  });
});

describe('bad input over a socket (real providers; nothing reaches the upstream)', () => {
  let upstream: FakeUpstream;
  let target: Target;
  beforeAll(async () => {
    upstream = await startFakeUpstream();
    target = await startTarget(
      'socket',
      configFrom(`
server:
  max_body_bytes: 2048
providers:
  openai:
    type: openai
    max_retries: 0
    api_key: sk-openai-SECRET-1
    base_url: ${upstream.url}/v1
models:
  gpt-4: { provider: openai }
`),
    );
  });
  afterAll(async () => {
    await target?.close();
    await upstream?.close();
  });

  const big = JSON.stringify(ask('gpt-4', true, { pad: 'x'.repeat(4096) }));
  const cases: Array<[string, string, number, RegExp]> = [
    ['malformed JSON', '{"model": "gpt-4", "messages": [', 400, /not valid JSON/],
    ['a JSON array', '[1, 2]', 400, /JSON object/],
    ['no messages', JSON.stringify({ model: 'gpt-4', stream: true }), 400, /messages/],
    ['no model', JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }), 400, /model/],
    ['an unknown alias', JSON.stringify(ask('gpt-5-turbo', true)), 404, /Unknown model 'gpt-5-turbo'.*gpt-4/],
    ['a body over max_body_bytes', big, 413, /max_body_bytes/],
  ];

  for (const path of ['/v1/messages', '/v1/chat/completions']) {
    test.each(cases)(
      `${path}: %s → 4xx in the dialect naming the problem`,
      async (_name, body, status, message) => {
        const before = upstream.requests.length;
        const res = await post(target, path, body);
        expect(res.status).toBe(status);
        expect(res.headers.get('x-request-id')).toBeTruthy();
        const json = await res.json();
        if (path === '/v1/messages') expect(json.type).toBe('error');
        else expect(json.type).toBeUndefined();
        expect(json.error.message).toMatch(message);
        expect(upstream.requests.length).toBe(before);
      },
    );
  }

  test('a chunked body (no content-length) over the limit: 413 at once, connection closed, no crash when the client hangs up', async () => {
    const url = new URL(`${target.url}/v1/chat/completions`);
    const { status, connection, body } = await new Promise<{
      status: number;
      connection: string | undefined;
      body: string;
    }>((resolve, reject) => {
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST' },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (part: string) => {
            text += part;
          });
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text });
            req.destroy(); // the client hangs up mid-upload: the proxy must not crash on it
          });
        },
      );
      req.on('error', reject);
      // Over the limit, and the body never ends: only the limit can produce an answer.
      req.write(`{"model": "gpt-4", "messages": [], "pad": "${'x'.repeat(3000)}`);
    });
    expect(status).toBe(413);
    expect(connection).toBe('close'); // the unread rest of the body is not left on a keep-alive connection
    expect(JSON.parse(body).error.message).toContain('max_body_bytes');
    expect((await target.fetch(`${target.url}/health`)).status).toBe(200);
  }, 5000);

  test('none of it was a 5xx or an upstream call', async () => {
    const samples = await metrics(target);
    expect(sumSamples(samples, 'tokenpak_requests_total', { outcome: 'internal_error' })).toBe(0);
    expect(sumSamples(samples, 'tokenpak_requests_total', { outcome: 'client_error' })).toBe(13);
    expect(target.logs.every((line) => line.status >= 400 && line.status < 500)).toBe(true);
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('max_concurrent_streams over a socket (real provider, real aborts)', () => {
  let upstream: FakeUpstream;
  let target: Target;
  beforeAll(async () => {
    upstream = await startFakeUpstream();
    target = await startTarget(
      'socket',
      configFrom(`
streaming:
  resume: { enabled: false }
  max_concurrent_streams: 2
providers:
  openai:
    type: openai
    max_retries: 0
    api_key: sk-openai-SECRET-1
    base_url: ${upstream.url}/v1
models:
  hangs: { provider: openai, model: "hang:openai/chat-text-include-usage.sse" }
  quick: { provider: openai, stream: true }
`),
    );
  });
  afterAll(async () => {
    await target?.close();
    await upstream?.close();
  });

  test('the third stream gets 429 with Retry-After in each dialect; slots come back when clients leave', async () => {
    const controllers = [new AbortController(), new AbortController()];
    const open = await Promise.all(
      controllers.map(async (controller) => {
        const res = await target.fetch(`${target.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(ask('hangs', true)),
          signal: controller.signal,
        });
        await res.body!.getReader().read();
        return res;
      }),
    );
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    expect(target.gateway.limiter.active).toBe(2);

    const openai = await post(target, '/v1/chat/completions', ask('quick', true));
    expect(openai.status).toBe(429);
    expect(openai.headers.get('retry-after')).toBe('1');
    const openaiBody = await openai.json();
    expect(openaiBody.type).toBeUndefined();
    expect(openaiBody.error.message).toContain('max_concurrent_streams');
    const anthropic = await post(target, '/v1/messages', ask('quick', true));
    expect(anthropic.status).toBe(429);
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });

    const closedBefore = upstream.closedResponses;
    for (const controller of controllers) controller.abort();
    await upstream.waitForClosedResponses(closedBefore + 2);
    await expect.poll(() => target.gateway.limiter.active, { timeout: 2000 }).toBe(0);

    const after = await post(target, '/v1/messages', ask('quick', true));
    expect(after.status).toBe(200);
    expect(parseSseText(await after.text()).events.at(-1)?.event).toBe('message_stop');
    const samples = await metrics(target);
    expect(sumSamples(samples, 'tokenpak_requests_total', { outcome: 'rate_limited' })).toBe(2);
    expect(samples.get('tokenpak_active_streams')).toBe(0);
  }, 10_000);
});
