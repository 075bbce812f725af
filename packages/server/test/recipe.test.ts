/**
 * The recipe's requests, exactly, against the recipe's config with both providers pointed at a fake upstream
 * that replays recorded streams; each test runs in-process and over a real socket.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { recipeConfig } from './helpers/config.ts';
import {
  DEFAULT_FIXTURE,
  type FakeUpstream,
  fixture,
  NON_STREAM_TEXT,
  startFakeUpstream,
} from './helpers/fake-upstream.ts';
import { parsePrometheus, sumSamples } from './helpers/prometheus.ts';
import { anthropicText, fixtureText, parseSseText } from './helpers/sse.ts';
import { MODES, post, startTarget, type Target } from './helpers/targets.ts';

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());

describe.each(MODES)('recipe (%s)', (mode) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget(mode, recipeConfig(upstream.url));
  });
  afterAll(() => target.close());

  test('Step 3: Anthropic client, OpenAI upstream, streamed back as real Anthropic events', async () => {
    const before = upstream.requests.length;
    const res = await post(target, '/v1/messages', {
      model: 'gpt-4-streaming',
      stream: true,
      messages: [{ role: 'user', content: 'Write a haiku about API proxies' }],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const { events } = parseSseText(await res.text());
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('message_start');
    expect(names).toContain('content_block_delta');
    expect(names.at(-1)).toBe('message_stop');
    for (const e of events) expect(JSON.parse(e.data).type).toBe(e.event);
    expect(anthropicText(events)).toBe(fixtureText(fixture(DEFAULT_FIXTURE.openai), 'openai'));
    expect(JSON.parse(events[0]!.data).message.model).toBe('gpt-4-streaming');
    const seen = upstream.requests[before]!;
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.headers.authorization).toBe('Bearer sk-test-openai-SECRET');
    expect(seen.body.model).toBe('gpt-4-streaming');
    expect(seen.body.stream).toBe(true);
  });

  test('Step 4: reading line by line yields data lines of JSON', async () => {
    const res = await post(target, '/v1/messages', {
      model: 'gpt-4-streaming',
      stream: true,
      messages: [{ role: 'user', content: 'Write a 2-sentence story' }],
    });
    const lines = (await res.text()).split('\n').filter((line) => line !== '');
    const data = lines.filter((line) => line.startsWith('data: '));
    expect(data.length).toBeGreaterThan(3);
    for (const line of data) JSON.parse(line.slice(6));
    expect(lines.every((line) => /^(event|id|data): /.test(line))).toBe(true);
  });

  test('Step 6: no content type (curl sends form-urlencoded), no max_tokens, non-streaming alias', async () => {
    const before = upstream.requests.length;
    const res = await target.fetch(`${target.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '{"model": "gpt-4", "messages": [{"role": "user", "content": "Write 500 words"}]}',
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ type: 'message', role: 'assistant', model: 'gpt-4' });
    expect(body.content[0].text).toBe(NON_STREAM_TEXT);
    expect(body.usage).toMatchObject({ input_tokens: 11, output_tokens: 6 });
    expect(upstream.requests[before]!.body.stream).not.toBe(true);
  });

  test('Step 6 streaming: the first line arrives and is an SSE field', async () => {
    const res = await target.fetch(`${target.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '{"model": "gpt-4-streaming", "stream": true, "messages": [{"role": "user", "content": "Write 500 words"}]}',
    });
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    const first = new TextDecoder().decode(value).split('\n')[0];
    expect(first).toBe('event: message_start');
    await reader.cancel();
  });

  test('an Anthropic upstream missing max_tokens gets the default', async () => {
    const before = upstream.requests.length;
    const res = await post(target, '/v1/chat/completions', {
      model: 'claude-opus',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.status).toBe(200);
    expect((await res.json()).choices[0].message.content).toBe(NON_STREAM_TEXT);
    const seen = upstream.requests[before]!;
    expect(seen.path).toBe('/v1/messages');
    expect(seen.body.max_tokens).toBe(target.gateway.config.server.default_max_tokens);
    expect(seen.headers['x-api-key']).toBe('sk-ant-test-SECRET');
  });

  test('/metrics parses and counts the requests above', async () => {
    const res = await target.fetch(`${target.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const samples = parsePrometheus(await res.text());
    expect(sumSamples(samples, 'tokenpak_requests_total', { outcome: 'ok' })).toBeGreaterThanOrEqual(4);
    expect(
      sumSamples(samples, 'tokenpak_ttft_seconds_count', { model: 'gpt-4-streaming' }),
    ).toBeGreaterThanOrEqual(2);
    expect(samples.get('tokenpak_active_streams')).toBe(0);
  });

  test('the client key is never forwarded and provider keys never reach the log', async () => {
    expect(JSON.stringify(target.logs)).not.toContain('SECRET');
    const health = await (await target.fetch(`${target.url}/health`)).text();
    expect(health).not.toContain('SECRET');
    expect(JSON.parse(health).providers).toMatchObject({
      openai: { type: 'openai' },
      anthropic: { type: 'anthropic' },
    });
  });
});
