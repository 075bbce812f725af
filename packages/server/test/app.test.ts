/** createApp with a test-local fake provider: routes, policy, framing rules, limits, heartbeat, errors. */
import { ProviderError, type StreamEvent } from '@tokenpak/providers';
import { describe, expect, test } from 'vitest';
import { createApp } from '../src/app.ts';
import type { RequestLogLine } from '../src/log/request-log.ts';
import { configFrom } from './helpers/config.ts';
import { fakeProvider, registryOf, streamOf, textEvents } from './helpers/fake-provider.ts';
import { parsePrometheus, sumSamples } from './helpers/prometheus.ts';
import { anthropicText, openaiText, parseSseText } from './helpers/sse.ts';

const BASE = 'http://tokenpak.test';

function yaml(streaming = '', server = '', models = '') {
  return `
${server ? `server:\n  api_keys: ${server}` : ''}
streaming:
  resume: { enabled: false }
  buffer_tokens: 1
${streaming}
providers:
  fake: { type: mock, api_key: prov-key-SECRET-123 }
models:
  m: { provider: fake }
  m-stream: { provider: fake, stream: true }
  m-nostream: { provider: fake, stream: false }
${models}`;
}

function makeApp(
  options: { streaming?: string; keys?: string; provider?: ReturnType<typeof fakeProvider> } = {},
) {
  const provider = options.provider ?? fakeProvider('fake');
  const logs: RequestLogLine[] = [];
  const config = configFrom(yaml(options.streaming, options.keys));
  const app = createApp({ config, registry: registryOf(provider), logger: (line) => logs.push(line) });
  const request = (path: string, init?: RequestInit) => app.fetch(new Request(BASE + path, init));
  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    request(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers });
  return { app, provider, logs, request, postJson };
}

const chatBody = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

describe('routes', () => {
  test('GET /v1/models lists aliases in OpenAI list shape', async () => {
    const { request } = makeApp();
    const res = await request('/v1/models');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.object).toBe('list');
    expect(body.data.map((m: { id: string }) => m.id)).toEqual(['m', 'm-stream', 'm-nostream']);
    expect(body.data[0]).toMatchObject({ object: 'model', owned_by: 'fake' });
    expect(typeof body.data[0].created).toBe('number');
  });

  test('GET /health shows provider states and never a key', async () => {
    const provider = fakeProvider('fake', {
      health: { state: 'degraded', lastError: 'upstream said no to prov-key-SECRET-123', lastErrorAt: 'now' },
    });
    const { request } = makeApp({ provider });
    const res = await request('/health');
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).not.toContain('prov-key-SECRET-123');
    const body = JSON.parse(text);
    expect(body.status).toBe('degraded');
    expect(body.providers.fake).toMatchObject({ type: 'fake', state: 'degraded' });
    expect(body.providers.fake.last_error).toContain('[redacted]');
  });

  test('unknown route: 404 JSON naming the routes; x-request-id kept when sane, minted otherwise', async () => {
    const { request } = makeApp();
    const res = await request('/v2/nothing', { headers: { 'x-request-id': 'trace-42' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('x-request-id')).toBe('trace-42');
    const body = await res.json();
    expect(body.error.message).toContain('GET /v2/nothing');
    expect(body.error.message).toContain('POST /v1/messages');
    const minted = await request('/v1/models', { headers: { 'x-request-id': 'no spaces allowed' } });
    expect(minted.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('two apps with two configs in one process share nothing', async () => {
    const a = makeApp();
    const bConfig = configFrom(`
providers:
  other: { type: mock }
models:
  only-b: { provider: other }
`);
    const b = createApp({ config: bConfig, registry: registryOf(fakeProvider('other')), logger: () => {} });
    await a.postJson('/v1/chat/completions', chatBody('m'));
    const bModels = await (await b.fetch(new Request(BASE + '/v1/models'))).json();
    expect(bModels.data.map((m: { id: string }) => m.id)).toEqual(['only-b']);
    const res = await b.fetch(
      new Request(BASE + '/v1/chat/completions', { method: 'POST', body: JSON.stringify(chatBody('m')) }),
    );
    expect(res.status).toBe(404);
    const aMetrics = parsePrometheus(await (await a.request('/metrics')).text());
    const bMetrics = parsePrometheus(await (await b.fetch(new Request(BASE + '/metrics'))).text());
    expect(sumSamples(aMetrics, 'tokenpak_requests_total', { outcome: 'ok' })).toBe(1);
    expect(sumSamples(bMetrics, 'tokenpak_requests_total', { outcome: 'ok' })).toBe(0);
    expect(sumSamples(bMetrics, 'tokenpak_requests_total', { outcome: 'client_error' })).toBe(1);
  });
});

describe('stream policy', () => {
  test('model stream:false + client stream → complete() served as a simulated stream', async () => {
    const { postJson, provider } = makeApp();
    const res = await postJson('/v1/messages', { ...chatBody('m-nostream'), stream: true, max_tokens: 10 });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const { events } = parseSseText(await res.text());
    expect(anthropicText(events)).toBe('Hello world');
    expect(provider.calls.map((c) => c.kind)).toEqual(['complete']);
  });

  test('supports_streaming false provider → complete() even for a streaming alias', async () => {
    const provider = fakeProvider('fake', { supportsStreaming: false });
    const { postJson } = makeApp({ provider });
    const res = await postJson('/v1/chat/completions', { ...chatBody('m-stream'), stream: true });
    expect(openaiText(parseSseText(await res.text()).events)).toBe('Hello world');
    expect(provider.calls.map((c) => c.kind)).toEqual(['complete']);
  });

  test('model stream:true + client no stream → upstream stream collected into one response', async () => {
    const { postJson, provider } = makeApp();
    const res = await postJson('/v1/chat/completions', chatBody('m-stream'));
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = await res.json();
    expect(body.choices[0].message.content).toBe('Hello world');
    expect(body.model).toBe('m-stream');
    expect(provider.calls.map((c) => c.kind)).toEqual(['stream']);
  });

  test('unset stream flag follows the client', async () => {
    const { postJson, provider } = makeApp();
    await postJson('/v1/chat/completions', chatBody('m'));
    await (await postJson('/v1/chat/completions', { ...chatBody('m'), stream: true })).text();
    expect(provider.calls.map((c) => c.kind)).toEqual(['complete', 'stream']);
  });

  test('missing max_tokens: the upstream gets server.default_max_tokens through the call context', async () => {
    const { postJson, provider } = makeApp();
    await postJson('/v1/messages', chatBody('m'));
    expect(provider.calls[0]?.context.defaultMaxTokens).toBeGreaterThan(0);
    expect(provider.calls[0]?.request.maxTokens).toBeUndefined();
  });
});

describe('framing rules', () => {
  test('Accept: application/x-ndjson → one JSON event per line, no [DONE]', async () => {
    const { postJson } = makeApp();
    const res = await postJson(
      '/v1/chat/completions',
      { ...chatBody('m'), stream: true },
      {
        accept: 'application/x-ndjson',
      },
    );
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const lines = (await res.text()).trimEnd().split('\n');
    const chunks = lines.map((line) => JSON.parse(line));
    expect(chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').join('')).toBe('Hello world');
    expect(lines).not.toContain('[DONE]');
  });

  test('SSE events carry increasing ids and the dialect event names', async () => {
    const { postJson } = makeApp();
    const res = await postJson('/v1/messages', { ...chatBody('m'), stream: true, max_tokens: 5 });
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    expect(res.headers.get('content-encoding')).toBeNull();
    const { events } = parseSseText(await res.text());
    expect(events.map((e) => Number(e.id))).toEqual(events.map((_, i) => i + 1));
    expect(events[0]?.event).toBe('message_start');
    expect(events.at(-1)?.event).toBe('message_stop');
  });

  test('a format that is off → 406 in the dialect; streaming disabled → 400', async () => {
    const sseOnly = makeApp({ streaming: '  formats: [sse]' });
    const res = await sseOnly.postJson(
      '/v1/messages',
      { ...chatBody('m'), stream: true },
      {
        accept: 'application/x-ndjson',
      },
    );
    expect(res.status).toBe(406);
    const body = await res.json();
    expect(body.type).toBe('error');
    expect(body.error.message).toMatch(/NDJSON.*turned off/);

    const chunkedOnly = makeApp({ streaming: '  formats: [chunked]' });
    const sse = await chunkedOnly.postJson('/v1/chat/completions', { ...chatBody('m'), stream: true });
    expect(sse.status).toBe(406);
    expect((await sse.json()).error.message).toMatch(/SSE.*turned off/);

    const offConfig = configFrom(
      'streaming: { enabled: false }\nproviders: { fake: { type: mock } }\nmodels: { m: { provider: fake } }',
    );
    const offApp = createApp({
      config: offConfig,
      registry: registryOf(fakeProvider('fake')),
      logger: () => {},
    });
    const off = {
      postJson: (path: string, body: unknown) =>
        offApp.fetch(new Request(BASE + path, { method: 'POST', body: JSON.stringify(body) })),
    };
    const disabled = await off.postJson('/v1/chat/completions', { ...chatBody('m'), stream: true });
    expect(disabled.status).toBe(400);
    expect((await disabled.json()).error.message).toContain('streaming.enabled: false');
    const plain = await off.postJson('/v1/chat/completions', chatBody('m'));
    expect(plain.status).toBe(200);
  });
});

describe('heartbeat', () => {
  test('a ping comment is written while the upstream is silent, and the stream then completes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const events = textEvents(['late', ' words']);
    const provider = fakeProvider('fake', {
      stream: () => {
        let i = 0;
        return new ReadableStream<StreamEvent>({
          async pull(controller) {
            if (i === 2) await gate;
            if (i < events.length) controller.enqueue(events[i++] as StreamEvent);
            else controller.close();
          },
        });
      },
    });
    const { postJson } = makeApp({ provider, streaming: '  heartbeat_ms: 5' });
    const res = await postJson('/v1/messages', { ...chatBody('m'), stream: true, max_tokens: 5 });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes(': ping')) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended before a heartbeat');
      text += decoder.decode(value, { stream: true });
    }
    release();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const parsed = parseSseText(text);
    expect(parsed.comments).toContain('ping');
    expect(anthropicText(parsed.events)).toBe('late words');
    // Heartbeats only ever sit between whole events.
    expect(text).not.toMatch(/data: [^\n]*: ping/);
  });
});

describe('concurrency', () => {
  /** Streams that send their first content, then stall until aborted (past the first-token gate). */
  function stallingProvider() {
    return fakeProvider('fake', {
      stream: (_request, context) =>
        new ReadableStream<StreamEvent>({
          start(controller) {
            controller.enqueue({ type: 'message-start', id: 'm', model: 'x' });
            controller.enqueue({ type: 'block-start', index: 0, block: { type: 'text' } });
            controller.enqueue({ type: 'text-delta', index: 0, text: 'Hel' });
            context.signal.addEventListener('abort', () => controller.error(context.signal.reason));
          },
        }),
    });
  }

  test('429 with Retry-After in the dialect when max_concurrent_streams is reached; slot freed on cancel', async () => {
    const { postJson, request } = makeApp({
      provider: stallingProvider(),
      streaming: '  max_concurrent_streams: 1',
    });
    const first = await postJson('/v1/chat/completions', { ...chatBody('m'), stream: true });
    expect(first.status).toBe(200);
    const second = await postJson('/v1/messages', { ...chatBody('m'), stream: true });
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('1');
    const body = await second.json();
    expect(body).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(body.error.message).toContain('max_concurrent_streams');
    await first.body!.cancel();
    const third = await postJson('/v1/chat/completions', { ...chatBody('m'), stream: true });
    expect(third.status).toBe(200);
    await third.body!.cancel();
    const metrics = parsePrometheus(await (await request('/metrics')).text());
    expect(metrics.get('tokenpak_active_streams')).toBe(0);
    expect(sumSamples(metrics, 'tokenpak_requests_total', { outcome: 'rate_limited' })).toBe(1);
  });

  test('hundreds of abandoned streams: every slot comes back and upstream signals are aborted', async () => {
    const provider = stallingProvider();
    const { postJson, request } = makeApp({ provider, streaming: '  max_concurrent_streams: 1000' });
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        postJson(i % 2 ? '/v1/messages' : '/v1/chat/completions', { ...chatBody('m'), stream: true }),
      ),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    let metrics = parsePrometheus(await (await request('/metrics')).text());
    expect(metrics.get('tokenpak_active_streams')).toBe(300);
    await Promise.all(
      responses.map(async (r, i) => {
        const reader = r.body!.getReader();
        if (i % 3 === 0) await reader.read();
        await reader.cancel();
      }),
    );
    metrics = parsePrometheus(await (await request('/metrics')).text());
    expect(metrics.get('tokenpak_active_streams')).toBe(0);
    expect(provider.calls.every((c) => c.context.signal.aborted)).toBe(true);
    expect(sumSamples(metrics, 'tokenpak_requests_total', { outcome: 'cancelled' })).toBe(300);
  });
});

describe('errors', () => {
  test('upstream failure before the first byte: provider status, body in the client dialect', async () => {
    const fail = new ProviderError({
      type: 'overloaded',
      message: 'upstream busy',
      status: 529,
      retryAfter: 3,
    });
    const { postJson } = makeApp({ provider: fakeProvider('fake', { fail }) });
    const anthropic = await postJson('/v1/messages', { ...chatBody('m'), stream: true });
    expect(anthropic.status).toBe(529);
    expect(anthropic.headers.get('retry-after')).toBe('3');
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    const openai = await postJson('/v1/chat/completions', chatBody('m'));
    expect(openai.status).toBeGreaterThanOrEqual(500);
    const body = await openai.json();
    expect(body.error.message).toContain('upstream busy');
  });

  test('stream that throws mid-way: the dialect error event, then a clean close', async () => {
    const events = textEvents(['one', ' two']).slice(0, 3);
    const provider = fakeProvider('fake', {
      stream: () => {
        let i = 0;
        return new ReadableStream<StreamEvent>({
          pull(controller) {
            if (i < events.length) controller.enqueue(events[i++] as StreamEvent);
            else controller.error(new ProviderError({ type: 'timeout', message: 'idle for too long' }));
          },
        });
      },
    });
    const { postJson, logs } = makeApp({ provider });
    const anthropic = parseSseText(
      await (await postJson('/v1/messages', { ...chatBody('m'), stream: true })).text(),
    );
    const last = anthropic.events.at(-1)!;
    expect(last.event).toBe('error');
    expect(JSON.parse(last.data)).toMatchObject({ type: 'error', error: { message: 'idle for too long' } });
    const openai = parseSseText(
      await (await postJson('/v1/chat/completions', { ...chatBody('m'), stream: true })).text(),
    );
    const lastOpenai = JSON.parse(openai.events.at(-1)!.data);
    expect(lastOpenai.error.message).toBe('idle for too long');
    for (const e of [...anthropic.events, ...openai.events]) if (e.data !== '[DONE]') JSON.parse(e.data);
    expect(logs.map((l) => l.outcome)).toEqual(['upstream_error', 'upstream_error']);
  });

  test('a provider stream that just ends before finish: the dialect error event, outcome upstream_error', async () => {
    // A third-party provider's stream is not trusted to end properly: a cut answer must not look complete.
    const provider = fakeProvider('fake', {
      stream: () => streamOf(textEvents(['one', ' two']).slice(0, 3)),
    });
    const { postJson, logs } = makeApp({ provider });
    const anthropic = parseSseText(
      await (await postJson('/v1/messages', { ...chatBody('m'), stream: true })).text(),
    );
    expect(anthropic.events.map((e) => e.event)).not.toContain('message_stop');
    expect(anthropic.events.at(-1)!.event).toBe('error');
    expect(JSON.parse(anthropic.events.at(-1)!.data).error.message).toMatch(/ended/);
    const openai = parseSseText(
      await (await postJson('/v1/chat/completions', { ...chatBody('m'), stream: true })).text(),
    );
    expect(openai.events.map((e) => e.data)).not.toContain('[DONE]');
    expect(JSON.parse(openai.events.at(-1)!.data).error.message).toMatch(/ended/);
    expect(logs.map((l) => l.outcome)).toEqual(['upstream_error', 'upstream_error']);
  });

  test('canonical error event mid-stream is encoded by the dialect and counted as an upstream error', async () => {
    const events: StreamEvent[] = [
      ...textEvents(['partial']).slice(0, 3),
      { type: 'error', error: new ProviderError({ type: 'overloaded', message: 'Overloaded' }) },
    ];
    const { postJson, logs } = makeApp({
      provider: fakeProvider('fake', { stream: () => streamOf(events) }),
    });
    const { events: out } = parseSseText(
      await (await postJson('/v1/messages', { ...chatBody('m'), stream: true })).text(),
    );
    expect(out.at(-1)?.event).toBe('error');
    expect(logs[0]?.outcome).toBe('upstream_error');
  });

  test('bad input: 4xx in the dialect naming the problem, never a 5xx', async () => {
    const { postJson, request } = makeApp();
    const cases: Array<[string, string | object, number, RegExp]> = [
      ['/v1/chat/completions', '{"model": "m", ', 400, /not valid JSON/],
      ['/v1/messages', '{"model": "m", ', 400, /not valid JSON/],
      ['/v1/messages', '', 400, /empty/],
      ['/v1/chat/completions', { model: 'm' }, 400, /messages/],
      ['/v1/messages', { messages: [{ role: 'user', content: 'x' }] }, 400, /model/],
      ['/v1/messages', chatBody('nope'), 404, /Unknown model 'nope'.*Available models: m, m-stream/],
      ['/v1/chat/completions', chatBody('nope'), 404, /Unknown model 'nope'/],
    ];
    for (const [path, body, status, message] of cases) {
      const res = await postJson(path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(status);
      const json = await res.json();
      if (path === '/v1/messages') expect(json.type).toBe('error');
      expect(json.error.message).toMatch(message);
    }
    const huge = await request('/v1/messages', {
      method: 'POST',
      body: JSON.stringify({ ...chatBody('m'), pad: 'x'.repeat(11 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.message).toContain('max_body_bytes');
  });

  test('a body with a form content type is still served when it parses as JSON (recipe step 6)', async () => {
    const { request } = makeApp();
    const res = await request('/v1/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '{"model": "m", "messages": [{"role": "user", "content": "Write 500 words"}]}',
    });
    expect(res.status).toBe(200);
    expect((await res.json()).content[0].text).toBe('Hello world');
  });
});

describe('client keys', () => {
  test('401 in the dialect without a key; Bearer and x-api-key accepted; health and metrics open', async () => {
    const { postJson, request, provider } = makeApp({ keys: '[client-key-1, client-key-2]' });
    const none = await postJson('/v1/messages', chatBody('m'));
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const wrong = await postJson('/v1/chat/completions', chatBody('m'), { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.message).toMatch(/API key/);
    expect(
      (await postJson('/v1/chat/completions', chatBody('m'), { authorization: 'Bearer client-key-1' }))
        .status,
    ).toBe(200);
    expect((await postJson('/v1/messages', chatBody('m'), { 'x-api-key': 'client-key-2' })).status).toBe(200);
    expect((await request('/v1/models')).status).toBe(401);
    expect((await request('/v1/models', { headers: { 'x-api-key': 'client-key-1' } })).status).toBe(200);
    expect((await request('/health')).status).toBe(200);
    expect((await request('/metrics')).status).toBe(200);
    expect(provider.calls).toHaveLength(2);
  });
});

describe('request log and metrics', () => {
  test('one line per request with timing, tokens and outcome; no keys, no bodies', async () => {
    const { postJson, request, logs } = makeApp();
    const res = await postJson(
      '/v1/messages',
      { ...chatBody('m'), stream: true },
      { 'x-request-id': 'req-1' },
    );
    expect(res.headers.get('x-request-id')).toBe('req-1');
    await res.text();
    expect(logs).toHaveLength(1);
    const line = logs[0]!;
    expect(line).toMatchObject({
      request_id: 'req-1',
      path: '/v1/messages',
      status: 200,
      outcome: 'ok',
      model: 'm',
      provider: 'fake',
      stream: true,
      framing: 'sse',
      tokens_in: 3,
      tokens_out: 2,
    });
    expect(line.ttft_ms).toBeGreaterThanOrEqual(0);
    expect(line.duration_ms).toBeGreaterThanOrEqual(line.ttft_ms!);
    expect(JSON.stringify(line)).not.toContain('hi');
    const metrics = parsePrometheus(await (await request('/metrics')).text());
    const labels = { model: 'm', provider: 'fake', dialect: 'anthropic-messages', stream: 'true' };
    expect(sumSamples(metrics, 'tokenpak_ttft_seconds_count', labels)).toBe(1);
    expect(sumSamples(metrics, 'tokenpak_request_duration_seconds_count', labels)).toBe(1);
    expect(sumSamples(metrics, 'tokenpak_tokens_total', { direction: 'in' })).toBe(3);
    expect(sumSamples(metrics, 'tokenpak_tokens_total', { direction: 'out' })).toBe(2);
    expect(sumSamples(metrics, 'tokenpak_requests_total', { outcome: 'ok' })).toBe(1);
  });
});
