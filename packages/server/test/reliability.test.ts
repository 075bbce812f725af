/**
 * Retries, fallbacks and the first-token gate, against a scripted fake upstream on loopback: what fails before
 * the first content is retried with backoff, then served by a fallback alias, invisibly to the client; what
 * fails after it ends the stream with the dialect's error event and is never retried.
 */
import { createServer } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createGateway, type Gateway } from '../src/index.ts';
import type { RequestLogLine } from '../src/log/request-log.ts';
import { serve } from '../src/node.ts';
import { configFrom } from './helpers/config.ts';
import { parsePrometheus, sumSamples } from './helpers/prometheus.ts';
import { recording } from './helpers/recording-upstream.ts';
import { type ScriptedUpstream, startScriptedUpstream } from './helpers/scripted-upstream.ts';
import { anthropicText, fixtureText, openaiText, parseSseText } from './helpers/sse.ts';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let upstream: ScriptedUpstream;
let gateway: Gateway;
let server: { url: string; close(grace?: number): Promise<void> };
const logs: RequestLogLine[] = [];

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  const down = await closedPort();
  const retry = 'max_retries: 2, retry_base_ms: 10, retry_max_ms: 2000, first_token_timeout_ms: 400';
  const config = configFrom(
    `
streaming:
  heartbeat_ms: 1000
providers:
  an: { type: anthropic, api_key: sk-ant, base_url: ${upstream.url}, ${retry} }
  oa: { type: openai, api_key: sk-oa, base_url: ${upstream.url}/v1, ${retry} }
  an-patient: { type: anthropic, api_key: sk-ant, base_url: ${upstream.url}, max_retries: 1, retry_base_ms: 10, first_token_timeout_ms: 2500 }
  down: { type: anthropic, api_key: sk-ant, base_url: "http://127.0.0.1:${down}", max_retries: 1, retry_base_ms: 10 }
models:
  an-retry: { provider: an, buffer_tokens: 1 }
  oa-retry: { provider: oa, buffer_tokens: 1 }
  an-slow: { provider: an-patient, buffer_tokens: 1 }
  an-down: { provider: down, model: claude-x, fallbacks: [oa-fallback] }
  oa-fallback: { provider: oa }
  oa-quota: { provider: oa, fallbacks: [an-fallback] }
  an-fallback: { provider: an }
  an-bad: { provider: an, fallbacks: [oa-fallback] }
`,
  );
  gateway = await createGateway(config, { logger: (line) => logs.push(line) });
  server = await serve(gateway, { host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server.close(0);
  await gateway.close(0);
  await upstream.close();
});
beforeEach(() => {
  for (const model of [
    'an-retry',
    'oa-retry',
    'an-slow',
    'oa-fallback',
    'oa-quota',
    'an-fallback',
    'an-bad',
  ]) {
    upstream.script(model, []);
  }
});

function post(path: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
}
const anthropicBody = (model: string, stream = true) => ({
  model,
  stream,
  max_tokens: 64,
  messages: [{ role: 'user', content: 'Hi' }],
});
const openaiBody = (model: string, stream = true) => ({
  model,
  stream,
  messages: [{ role: 'user', content: 'Hi' }],
});

describe('before the first content: retried, invisibly', () => {
  test('429 with Retry-After, then 529, then the answer: one clean Anthropic stream, three attempts', async () => {
    upstream.script('an-retry', [
      { status: 429, headers: { 'retry-after': '1' } },
      'status:529',
      'ok:anthropic/text.sse',
    ]);
    const res = await post('/v1/messages', anthropicBody('an-retry'));
    expect(res.status).toBe(200);
    const { events } = parseSseText(await res.text());
    expect(anthropicText(events)).toBe(fixtureText(recording('anthropic/text.sse'), 'anthropic'));
    expect(events.some((e) => e.event === 'error')).toBe(false);
    expect(events.at(-1)?.event).toBe('message_stop');
    const sent = upstream.requestsFor('an-retry');
    expect(sent).toHaveLength(3);
    // Retry-After: 1 was honoured.
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(950);
    expect(logs.at(-1)).toMatchObject({ outcome: 'ok', attempts: 3 });
  });

  test('500, then a connection reset, then the answer: OpenAI client, one clean stream', async () => {
    upstream.script('oa-retry', ['status:500', 'reset', 'ok:openai/chat-text-include-usage.sse']);
    const res = await post('/v1/chat/completions', openaiBody('oa-retry'));
    expect(res.status).toBe(200);
    const { events } = parseSseText(await res.text());
    expect(openaiText(events)).toBe(fixtureText(recording('openai/chat-text-include-usage.sse'), 'openai'));
    expect(events.at(-1)?.data).toBe('[DONE]');
    expect(upstream.requestsFor('oa-retry')).toHaveLength(3);
  });

  test('an in-band error event before any content, inside a 200: retried, the client sees one clean stream', async () => {
    upstream.script('an-retry', ['inband-error', 'ok:anthropic/text.sse']);
    const res = await post('/v1/messages', anthropicBody('an-retry'));
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).not.toContain('overloaded_error');
    expect(parseSseText(text).events.filter((e) => e.event === 'message_start')).toHaveLength(1);
    expect(upstream.requestsFor('an-retry')).toHaveLength(2);
  });

  test('no content within first_token_timeout_ms: retried; past heartbeat_ms the headers go out and heartbeats keep the client waiting', async () => {
    upstream.script('an-slow', ['stall:5000', 'ok:anthropic/text.sse']);
    const res = await post('/v1/messages', anthropicBody('an-slow'));
    expect(res.status).toBe(200);
    const { events, comments } = parseSseText(await res.text());
    expect(comments.length).toBeGreaterThan(0);
    expect(anthropicText(events)).toBe(fixtureText(recording('anthropic/text.sse'), 'anthropic'));
    expect(events.filter((e) => e.event === 'message_start')).toHaveLength(1);
    expect(upstream.requestsFor('an-slow')).toHaveLength(2);
    // The headers went out before the gate opened: the served alias is in the log line only.
    expect(logs.at(-1)).toMatchObject({ outcome: 'ok', attempts: 2 });
  });

  test('retries spent, no fallback: the last error in the client dialect, with its status', async () => {
    upstream.script('oa-retry', ['status:503']);
    const res = await post('/v1/chat/completions', openaiBody('oa-retry'));
    expect(res.status).toBe(503);
    expect((await res.json()).error.message).toContain('upstream says 503');
    expect(upstream.requestsFor('oa-retry')).toHaveLength(3);
    expect(logs.at(-1)).toMatchObject({ outcome: 'upstream_error', attempts: 3 });
  });

  test('a 400 is not retried and does not fall back', async () => {
    upstream.script('an-bad', ['status:400']);
    const res = await post('/v1/messages', anthropicBody('an-bad'));
    expect(res.status).toBe(400);
    expect(upstream.requestsFor('an-bad')).toHaveLength(1);
    expect(upstream.requestsFor('oa-fallback')).toHaveLength(0);
  });

  test('non-streamed: headers, then only keep-alive bytes: cut at first_token_timeout_ms and retried', async () => {
    upstream.script('an-retry', ['trickle:100', 'ok:anthropic/text.sse']);
    const res = await post('/v1/messages', anthropicBody('an-retry', false));
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(json.content[0].text).toBe(fixtureText(recording('anthropic/text.sse'), 'anthropic'));
    expect(upstream.requestsFor('an-retry')).toHaveLength(2);
    expect(logs.at(-1)).toMatchObject({ outcome: 'ok', attempts: 2 });
  });

  test('non-streamed: 502 then the answer', async () => {
    upstream.script('oa-retry', ['status:502', 'ok:openai/chat-text-include-usage.sse']);
    const res = await post('/v1/chat/completions', openaiBody('oa-retry', false));
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(json.choices[0].message.content).toBe(
      fixtureText(recording('openai/chat-text-include-usage.sse'), 'openai'),
    );
    expect(upstream.requestsFor('oa-retry')).toHaveLength(2);
  });
});

describe('fallbacks', () => {
  test('connection refused on an Anthropic alias: its retries, then an OpenAI fallback, as one Anthropic stream', async () => {
    const res = await post('/v1/messages', anthropicBody('an-down'));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-tokenpak-model')).toBe('oa-fallback');
    const { events } = parseSseText(await res.text());
    expect(events[0]?.event).toBe('message_start');
    expect(events.at(-1)?.event).toBe('message_stop');
    expect(anthropicText(events)).toBe(
      fixtureText(recording('openai/chat-text-include-usage.sse'), 'openai'),
    );
    expect(JSON.parse(events[0]!.data).message.model).toBe('an-down');
    expect(upstream.requestsFor('oa-fallback')).toHaveLength(1);
    expect(logs.at(-1)).toMatchObject({
      outcome: 'ok',
      attempts: 3,
      served_by: 'oa-fallback',
      provider: 'oa',
    });
  });

  test('the fallback fails too: its error in the client dialect, and the log line names it as last tried', async () => {
    upstream.script('oa-fallback', ['status:400']);
    const res = await post('/v1/messages', anthropicBody('an-down'));
    expect(res.status).toBe(400);
    expect((await res.json()).type).toBe('error');
    expect(logs.at(-1)).toMatchObject({
      outcome: 'upstream_error',
      attempts: 3,
      model: 'an-down',
      last_tried: 'oa-fallback',
      provider: 'oa',
    });
    expect(logs.at(-1)?.served_by).toBeUndefined();
  });

  test('insufficient_quota is not retried, and falls back', async () => {
    upstream.script('oa-quota', [
      {
        status: 429,
        body: { error: { message: 'quota', type: 'insufficient_quota', code: 'insufficient_quota' } },
      },
    ]);
    const res = await post('/v1/chat/completions', openaiBody('oa-quota'));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-tokenpak-model')).toBe('an-fallback');
    await res.text();
    expect(upstream.requestsFor('oa-quota')).toHaveLength(1);
    expect(upstream.requestsFor('an-fallback')).toHaveLength(1);
  });

  test('the official Anthropic SDK reads a stream served after a 529', async () => {
    upstream.script('an-retry', ['status:529', 'ok:anthropic/tool-use.sse']);
    const client = new Anthropic({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
    const message = await client.messages
      .stream({ model: 'an-retry', max_tokens: 64, messages: [{ role: 'user', content: 'Weather?' }] })
      .finalMessage();
    expect(message.stop_reason).toBe('tool_use');
  });
});

describe('after the first content', () => {
  test('an upstream that dies mid-stream: the dialect error event, a clean close, nothing retried', async () => {
    upstream.script('an-retry', ['cut-after-content', 'ok:anthropic/text.sse']);
    const res = await post('/v1/messages', anthropicBody('an-retry'));
    expect(res.status).toBe(200);
    const { events } = parseSseText(await res.text());
    expect(anthropicText(events)).toBe('Partial');
    expect(events.at(-1)?.event).toBe('error');
    expect(upstream.requestsFor('an-retry')).toHaveLength(1);
    expect(logs.at(-1)).toMatchObject({ outcome: 'upstream_error', attempts: 1 });
  });
});

test('/metrics counts attempts by result and fallbacks', async () => {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const samples = parsePrometheus(text);
  expect(sumSamples(samples, 'tokenpak_upstream_attempts_total', { result: 'retried' })).toBeGreaterThan(0);
  expect(sumSamples(samples, 'tokenpak_upstream_attempts_total', { result: 'fell_back' })).toBeGreaterThan(0);
  expect(sumSamples(samples, 'tokenpak_fallbacks_total', { from: 'an-down', to: 'oa-fallback' })).toBe(1);
  expect(sumSamples(samples, 'tokenpak_first_token_gate_seconds_count')).toBeGreaterThan(0);
});

describe('heartbeat_ms: 0 (no heartbeats)', () => {
  test('the gate still holds the headers: an upstream 500 is a 500 in the client format, a success names the served alias', async () => {
    const config = configFrom(`
streaming:
  heartbeat_ms: 0
providers:
  oa: { type: openai, api_key: sk-oa, base_url: ${upstream.url}/v1, max_retries: 1, retry_base_ms: 10 }
models:
  oa-quiet: { provider: oa, buffer_tokens: 1 }
`);
    const quiet = await createGateway(config, { logger: () => {} });
    const app = await serve(quiet, { host: '127.0.0.1', port: 0 });
    try {
      const send = () =>
        fetch(`${app.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(openaiBody('oa-quiet')),
        });
      upstream.script('oa-quiet', ['status:500']);
      const failed = await send();
      expect(failed.status).toBe(500);
      expect(failed.headers.get('content-type')).toContain('application/json');
      expect((await failed.json()).error.message).toContain('upstream says 500');
      expect(upstream.requestsFor('oa-quiet')).toHaveLength(2);

      upstream.script('oa-quiet', ['ok:openai/chat-text-include-usage.sse']);
      const ok = await send();
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-tokenpak-model')).toBe('oa-quiet');
      const { events } = parseSseText(await ok.text());
      expect(events.at(-1)?.data).toBe('[DONE]');
    } finally {
      await app.close(0);
      await quiet.close(0);
    }
  });
});
