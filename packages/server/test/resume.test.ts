/**
 * Resumable streams: clients whose connections are cut at random points reconnect with @tokenpak/client
 * (GET /v1/streams/{id} with Last-Event-ID, or ?after= for NDJSON) and assemble exactly the text of an
 * uninterrupted run, while the upstream received one request per stream. A client that does not come back
 * lets the upstream go after the grace period, and the logs are dropped after keep_ms.
 */
import { tokenpakStream } from '@tokenpak/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createGateway, type Gateway } from '../src/index.ts';
import { serve } from '../src/node.ts';
import { configFrom } from './helpers/config.ts';
import { type CuttingProxy, startCuttingProxy } from './helpers/cutting-proxy.ts';
import { parsePrometheus } from './helpers/prometheus.ts';
import { type RecordingUpstream, startRecordingUpstream } from './helpers/recording-upstream.ts';

/** A seeded random source (mulberry32), so that a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let upstream: RecordingUpstream;
let gateway: Gateway;
let server: { url: string; close(grace?: number): Promise<void> };
let proxy: CuttingProxy;
const random = seeded(20261204);

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  const config = configFrom(
    `
streaming:
  resume: { enabled: true, reconnect_grace_ms: 3000, keep_ms: 1500 }
providers:
  openai: { type: openai, api_key: sk-test, base_url: ${upstream.url}/v1, max_retries: 0 }
  anthropic: { type: anthropic, api_key: sk-ant-test, base_url: ${upstream.url}, max_retries: 0 }
  local: { type: mock, tokens_per_second: 2000 }
  paced: { type: mock, tokens_per_second: 100 }
models:
  an-fast: { provider: anthropic, model: "anthropic/thinking.sse", buffer_tokens: 1 }
  oa-fast: { provider: openai, model: "openai/chat-text-include-usage.sse", buffer_tokens: 1 }
  oa-cross: { provider: openai, model: "openai/chat-text-include-usage.sse", buffer_tokens: 3 }
  mock: { provider: local }
  mock-paced: { provider: paced }
`,
  );
  gateway = await createGateway(config, { logger: () => {} });
  server = await serve(gateway, { host: '127.0.0.1', port: 0 });
  // Half the connections are cut somewhere in their first 1,500 response bytes.
  proxy = await startCuttingProxy(new URL(server.url), () =>
    random() < 0.5 ? 1 + Math.floor(random() * 1500) : undefined,
  );
});
afterAll(async () => {
  await proxy.close();
  await server.close(0);
  await gateway.close(0);
  await upstream.close();
});

type Case = { path: string; model: string; ndjson: boolean };
const CASES: Case[] = [];
for (const ndjson of [false, true]) {
  CASES.push({ path: '/v1/messages', model: 'an-fast', ndjson });
  CASES.push({ path: '/v1/chat/completions', model: 'oa-fast', ndjson });
  CASES.push({ path: '/v1/messages', model: 'oa-cross', ndjson });
  CASES.push({ path: '/v1/chat/completions', model: 'mock', ndjson });
  CASES.push({ path: '/v1/responses', model: 'mock', ndjson });
}

function request(base: string, c: Case) {
  const body =
    c.path === '/v1/responses'
      ? { model: c.model, stream: true, input: 'count to 40' }
      : {
          model: c.model,
          stream: true,
          max_tokens: 64,
          messages: [{ role: 'user', content: 'count to 40' }],
        };
  return {
    url: base + c.path,
    init: {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
        ...(c.ndjson && { accept: 'application/x-ndjson' }),
      },
      body: JSON.stringify(body),
    },
  };
}

async function textOf(base: string, c: Case): Promise<{ text: string; resumes: number }> {
  const stream = tokenpakStream(request(base, c), { maxRetries: 20, backoffMs: 5, maxBackoffMs: 50 });
  let text = '';
  for await (const delta of stream.text()) text += delta;
  return { text, resumes: stream.resumes };
}

describe('a client whose connection is cut reconnects and loses nothing', () => {
  test('100 streams, both dialects and Responses, SSE and NDJSON, cut at random points', async () => {
    const expected = new Map<Case, string>();
    for (const c of CASES) {
      const { text } = await textOf(server.url, c);
      expect(text.length).toBeGreaterThan(0);
      expected.set(c, text);
    }
    const before = upstream.requests.length;
    let resumes = 0;
    for (let i = 0; i < 100; i++) {
      const c = CASES[i % CASES.length]!;
      const got = await textOf(proxy.url, c);
      expect(got.text, `stream ${i}: ${c.path} ${c.model} ${c.ndjson ? 'ndjson' : 'sse'}`).toBe(
        expected.get(c),
      );
      resumes += got.resumes;
    }
    // The recorded-upstream cases (3 of every 5) made exactly one upstream request each.
    expect(upstream.requests.length - before).toBe(60);
    expect(proxy.cuts).toBeGreaterThan(20);
    expect(resumes).toBeGreaterThan(20);
  }, 60_000);

  test('an unknown stream id is a 404 in the client error shape', async () => {
    const openai = await fetch(`${server.url}/v1/streams/nope`);
    expect(openai.status).toBe(404);
    expect((await openai.json()).error.code).toBe('stream_not_found');
    const anthropic = await fetch(`${server.url}/v1/streams/nope`, {
      headers: { 'anthropic-version': '2023-06-01' },
    });
    expect((await anthropic.json()).type).toBe('error');
  });

  test('Last-Event-ID gives exactly the events after it, with their ids, then the end', async () => {
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'oa-fast', stream: true, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    const id = res.headers.get('x-tokenpak-stream-id');
    expect(id).toBeTruthy();
    const whole = await res.text();
    const ids = [...whole.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual(ids.map((_, i) => i + 1));
    const resumed = await (
      await fetch(`${server.url}/v1/streams/${id}`, { headers: { 'last-event-id': '3' } })
    ).text();
    expect(resumed).toBe(whole.slice(whole.indexOf('id: 4\n')));
    expect(resumed.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });
});

test('a Responses stream cut mid-answer resumes through GET /v1/responses/{id}?stream=true&starting_after=N while it is still running', async () => {
  const body = JSON.stringify({ model: 'mock-paced', stream: true, input: 'count to 40' });
  const post = (signal?: AbortSignal) =>
    fetch(`${server.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      ...(signal && { signal }),
    });
  const dataOf = (text: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)));
  const deltas = (events: any[]) =>
    events
      .filter((e) => e.type === 'response.output_text.delta')
      .map((e) => e.delta)
      .join('');
  const whole = deltas(dataOf(await (await post()).text()));

  // The first events, then the connection drops.
  const controller = new AbortController();
  const res = await post(controller.signal);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let head = '';
  while (
    dataOf(head.slice(0, head.lastIndexOf('\n\n') + 1)).filter((e) => e.type === 'response.output_text.delta')
      .length < 3
  ) {
    const { value } = await reader.read();
    head += decoder.decode(value, { stream: true });
  }
  controller.abort();
  const seen = dataOf(head.slice(0, head.lastIndexOf('\n\n') + 1));
  const { id } = seen[0].response;
  const last = seen.at(-1).sequence_number;

  // Still being generated: read whole it is not there yet, followed it is.
  const early = await fetch(`${server.url}/v1/responses/${id}`);
  expect(early.status).toBe(400);
  expect((await early.json()).error.code).toBe('response_in_progress');
  const rest = dataOf(
    await (await fetch(`${server.url}/v1/responses/${id}?stream=true&starting_after=${last}`)).text(),
  );
  expect(rest[0].sequence_number).toBe(last + 1);
  expect(rest.at(-1).type).toBe('response.completed');
  expect(deltas(seen) + deltas(rest)).toBe(whole);
  // Once done, it is stored whole.
  await expect.poll(async () => (await fetch(`${server.url}/v1/responses/${id}`)).status).toBe(200);
}, 20_000);

test('abandoned streams: the upstream goes on for the grace period only, and every log is dropped after keep_ms', async () => {
  const controllers = Array.from({ length: 50 }, () => new AbortController());
  await Promise.all(
    controllers.map(async (controller) => {
      const res = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'mock',
          stream: true,
          messages: [{ role: 'user', content: 'count to 40' }],
        }),
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      await reader.read();
      controller.abort();
    }),
  );
  const gauges = async () => parsePrometheus(await (await fetch(`${server.url}/metrics`)).text());
  await expect.poll(async () => (await gauges()).get('tokenpak_active_streams'), { timeout: 10_000 }).toBe(0);
  await expect.poll(async () => (await gauges()).get('tokenpak_stream_logs'), { timeout: 10_000 }).toBe(0);
  expect((await gauges()).get('tokenpak_stream_log_bytes')).toBe(0);
}, 30_000);
