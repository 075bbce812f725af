/**
 * The fast path (bytes forwarded, watched by the dialect's passthrough watcher) and the translated path
 * (decoded, re-encoded) must say the same about the same upstream stream: usage, outcome and error type, in
 * the log line and in /metrics. One table runs both paths over every recorded stream, plus streams that the
 * recordings lack (a cached Anthropic prompt, in-stream errors, a stream cut before its end).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createGateway, type Gateway } from '../src/index.ts';
import type { RequestLogLine } from '../src/log/request-log.ts';
import { configFrom } from './helpers/config.ts';
import { parsePrometheus, sumSamples } from './helpers/prometheus.ts';

type Side = 'openai' | 'anthropic';

const recordings = (pkg: string, folder: string, keep: (name: string) => boolean) => {
  const dir = new URL(`../../${pkg}/test/fixtures/${folder}/`, import.meta.url);
  return readdirSync(dir)
    .filter(keep)
    .sort()
    .map((name) => ({ name: `${folder}/${name}`, wire: readFileSync(new URL(name, dir), 'utf8') }));
};

const anthropicEvent = (type: string, data: object) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const CACHED_ANTHROPIC =
  anthropicEvent('message_start', {
    message: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      content: [],
      model: 'claude',
      usage: {
        input_tokens: 4,
        cache_read_input_tokens: 2048,
        cache_creation_input_tokens: 300,
        output_tokens: 1,
      },
    },
  }) +
  anthropicEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
  anthropicEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Cached.' } }) +
  anthropicEvent('content_block_stop', { index: 0 }) +
  anthropicEvent('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } }) +
  anthropicEvent('message_stop', {});
const ANTHROPIC_OVERLOADED =
  anthropicEvent('message_start', {
    message: {
      id: 'msg_2',
      type: 'message',
      role: 'assistant',
      content: [],
      model: 'claude',
      usage: { input_tokens: 9, output_tokens: 1 },
    },
  }) +
  anthropicEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
  anthropicEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Half' } }) +
  anthropicEvent('error', { error: { type: 'overloaded_error', message: 'Overloaded' } });
const openaiChunk = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const OPENAI_IN_STREAM_ERROR =
  openaiChunk({ role: 'assistant', content: '' }) +
  openaiChunk({ content: 'Hal' }) +
  `data: ${JSON.stringify({ error: { message: 'The server had an error', type: 'server_error' } })}\n\n`;
const OPENAI_CUT = openaiChunk({ role: 'assistant', content: '' }) + openaiChunk({ content: 'Cut' });

const CASES: Array<{ name: string; side: Side; wire: string }> = [
  ...recordings('openai', 'openai', (n) => n.startsWith('chat-') && n.endsWith('.sse')).map((r) => ({
    ...r,
    side: 'openai' as const,
  })),
  ...recordings('openai', 'openai-compatible', (n) => n.endsWith('.sse')).map((r) => ({
    ...r,
    side: 'openai' as const,
  })),
  ...recordings('anthropic', 'anthropic', (n) => n.endsWith('.sse')).map((r) => ({
    ...r,
    side: 'anthropic' as const,
  })),
  { name: 'synthetic/anthropic-cached-prompt', side: 'anthropic', wire: CACHED_ANTHROPIC },
  { name: 'synthetic/anthropic-overloaded-mid-stream', side: 'anthropic', wire: ANTHROPIC_OVERLOADED },
  { name: 'synthetic/openai-in-stream-error', side: 'openai', wire: OPENAI_IN_STREAM_ERROR },
  { name: 'synthetic/openai-cut-before-finish', side: 'openai', wire: OPENAI_CUT },
];

/** A fake upstream: the upstream model id is the case's index; the answer is its wire, in small pieces. */
let upstream: Server;
let upstreamUrl = '';
beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const wire = CASES[Number(String(body.model).slice(1))]?.wire ?? '';
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const bytes = Buffer.from(wire);
      for (let at = 0; at < bytes.length; at += 97) res.write(bytes.subarray(at, at + 97));
      res.end();
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

/** One app per path, so that each /metrics holds that path's figures only. */
async function gatewayFor(
  path: 'fast' | 'translated',
): Promise<{ gateway: Gateway; logs: RequestLogLine[] }> {
  // Coalescing needs the events: buffer_tokens above 1 forces the translated path.
  const models = CASES.map((c, i) =>
    path === 'fast'
      ? `  "c${i}": { provider: ${c.side}, buffer_tokens: 1 }`
      : `  "t${i}": { provider: ${c.side}, model: "c${i}", buffer_tokens: 2 }`,
  ).join('\n');
  const config = configFrom(
    `
providers:
  openai: { type: openai, api_key: sk-test, base_url: ${upstreamUrl}/v1 }
  anthropic: { type: anthropic, api_key: sk-ant-test, base_url: ${upstreamUrl} }
models:
${models}
`,
  );
  const logs: RequestLogLine[] = [];
  return { gateway: await createGateway(config, { logger: (line) => logs.push(line) }), logs };
}

let fast: { gateway: Gateway; logs: RequestLogLine[] };
let translated: { gateway: Gateway; logs: RequestLogLine[] };
beforeAll(async () => {
  fast = await gatewayFor('fast');
  translated = await gatewayFor('translated');
});
afterAll(async () => {
  await fast.gateway.close(0);
  await translated.gateway.close(0);
});

async function run(target: { gateway: Gateway; logs: RequestLogLine[] }, side: Side, model: string) {
  const before = target.logs.length;
  const path = side === 'openai' ? '/v1/chat/completions' : '/v1/messages';
  const body =
    side === 'openai'
      ? {
          model,
          stream: true,
          stream_options: { include_usage: true },
          messages: [{ role: 'user', content: 'Hi' }],
        }
      : { model, stream: true, max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] };
  const response = await target.gateway.app.fetch(
    new Request(`http://tokenpak.test${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(side === 'anthropic' && { 'anthropic-version': '2023-06-01' }),
      },
      body: JSON.stringify(body),
    }),
  );
  await response.text();
  const metrics = parsePrometheus(
    await (await target.gateway.app.fetch(new Request('http://tokenpak.test/metrics'))).text(),
  );
  const line = target.logs[before];
  if (!line) throw new Error('no log line');
  return {
    line,
    metrics: {
      tokensIn: sumSamples(metrics, 'tokenpak_tokens_total', { direction: 'in' }),
      tokensOut: sumSamples(metrics, 'tokenpak_tokens_total', { direction: 'out' }),
      outcome: sumSamples(metrics, 'tokenpak_requests_total', { outcome: line.outcome }),
    },
  };
}

describe('fast path and translated path report the same', () => {
  // Sequential: each comparison reads the cumulative /metrics counters of both apps.
  const previous = { fast: { tokensIn: 0, tokensOut: 0 }, translated: { tokensIn: 0, tokensOut: 0 } };
  test.each(CASES.map((c, i) => [c.name, i, c.side] as const))('%s', async (_name, i, side) => {
    const a = await run(fast, side, `c${i}`);
    const b = await run(translated, side, `t${i}`);
    expect(a.line.fast_path).toBe(true);
    expect(b.line.fast_path).toBe(false);
    const facts = (r: typeof a) => ({
      status: r.line.status,
      outcome: r.line.outcome,
      error_type: r.line.error_type,
      tokens_in: r.line.tokens_in,
      tokens_out: r.line.tokens_out,
    });
    expect(facts(a)).toEqual(facts(b));
    // /metrics: the same token increments on both sides.
    const delta = (r: typeof a, side: 'fast' | 'translated') => {
      const d = {
        in: r.metrics.tokensIn - previous[side].tokensIn,
        out: r.metrics.tokensOut - previous[side].tokensOut,
      };
      previous[side] = { tokensIn: r.metrics.tokensIn, tokensOut: r.metrics.tokensOut };
      return d;
    };
    expect(delta(a, 'fast')).toEqual(delta(b, 'translated'));
    expect(a.metrics.outcome).toBe(b.metrics.outcome);
  });

  test('the cached prompt counts every input token; the in-stream overload is typed overloaded', async () => {
    const cached = CASES.findIndex((c) => c.name === 'synthetic/anthropic-cached-prompt');
    expect((await run(fast, 'anthropic', `c${cached}`)).line).toMatchObject({
      tokens_in: 2352,
      tokens_out: 3,
    });
    const overloaded = CASES.findIndex((c) => c.name === 'synthetic/anthropic-overloaded-mid-stream');
    expect((await run(fast, 'anthropic', `c${overloaded}`)).line).toMatchObject({
      outcome: 'upstream_error',
      error_type: 'overloaded',
    });
  });
});
