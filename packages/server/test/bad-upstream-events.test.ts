/**
 * An upstream that sends something that is not an event stream: a data line that is not JSON, or an HTML page
 * with status 200. Nothing of it reaches the client, on the fast path as on the translated path: before
 * content it is an upstream error (502, retried like other failures before content), after content the
 * stream ends with the dialect's error event saying what the upstream sent.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type BytesAnswer, type BytesUpstream, startBytesUpstream } from './helpers/bytes-upstream.ts';
import { configFrom } from './helpers/config.ts';
import { parseSseText } from './helpers/sse.ts';
import { MODES, post, startTarget, type Target } from './helpers/targets.ts';

const OPENAI_START =
  'data: {"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n';
const OPENAI_CONTENT =
  'data: {"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"Partial"},"finish_reason":null}]}\n\n';
const OPENAI_END =
  'data: {"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';
const ANTHROPIC_START =
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_s","type":"message","role":"assistant","content":[],"model":"m","usage":{"input_tokens":3,"output_tokens":1}}}\n\n' +
  'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n';
const ANTHROPIC_CONTENT =
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Partial"}}\n\n';
const ANTHROPIC_END =
  'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n' +
  'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}\n\n' +
  'event: message_stop\ndata: {"type":"message_stop"}\n\n';
const HTML = '<html><body><h1>Welcome to nginx!</h1></body></html>\n';

const BAD = 'data: {not json\n\n';

/** Upstream model ids: openai ones go to provider `openai`, `an-` ones to `anthropic`. */
const ANSWERS: Record<string, BytesAnswer> = {
  'oa-bad-after': { parts: [OPENAI_START + OPENAI_CONTENT, BAD + OPENAI_CONTENT + OPENAI_END] },
  'oa-bad-first': { parts: [OPENAI_START, BAD, OPENAI_CONTENT + OPENAI_END] },
  'oa-html': { contentType: 'text/html; charset=utf-8', parts: [HTML] },
  'an-bad-after': {
    parts: [
      ANTHROPIC_START + ANTHROPIC_CONTENT,
      'event: content_block_delta\ndata: nope\n\n' + ANTHROPIC_END,
    ],
  },
  'an-bad-first': { parts: [ANTHROPIC_START, 'event: ping\ndata: {"type":"ping"\n\n', ANTHROPIC_END] },
  'an-html': { contentType: 'text/html', parts: [HTML] },
  'oa-502-page': { status: 502, contentType: 'text/html', parts: ['<html>Bad Gateway</html>'] },
  'an-502-page': { status: 502, contentType: 'text/html', parts: ['<html>Bad Gateway</html>'] },
};

function config(url: string) {
  const models = Object.keys(ANSWERS)
    .map((id) => {
      const provider = id.startsWith('an-') ? 'anthropic' : 'openai';
      return (
        `  ${id}: { provider: ${provider}, buffer_tokens: 1 }\n` +
        `  tr-${id}: { provider: ${provider}, model: ${id}, buffer_tokens: 2 }\n` +
        `  retry-${id}: { provider: ${provider}-retrying, model: ${id}, buffer_tokens: 1 }`
      );
    })
    .join('\n');
  const provider = (name: string, type: string, base: string, retries: number) =>
    `  ${name}: { type: ${type}, api_key: k-test, base_url: "${base}", max_retries: ${retries}, retry_base_ms: 1 }`;
  return configFrom(`
streaming:
  enabled: true
  resume: { enabled: false }
providers:
${provider('openai', 'openai', `${url}/v1`, 0)}
${provider('openai-retrying', 'openai', `${url}/v1`, 1)}
${provider('anthropic', 'anthropic', url, 0)}
${provider('anthropic-retrying', 'anthropic', url, 1)}
models:
${models}
`);
}

let upstream: BytesUpstream;
beforeAll(async () => {
  upstream = await startBytesUpstream();
  for (const [id, answer] of Object.entries(ANSWERS)) upstream.answer(id, answer);
});
afterAll(() => upstream.close());

describe.each(MODES)('an upstream that sends no event stream (%s)', (mode) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget(mode, config(upstream.url));
  });
  afterAll(() => target.close());

  const ask = (model: string) =>
    post(target, model.includes('an-') ? '/v1/messages' : '/v1/chat/completions', {
      model,
      stream: true,
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hi' }],
    });

  for (const id of ['oa-bad-after', 'an-bad-after']) {
    test(`${id}: after content, the bad event is not forwarded; the stream ends with the dialect's error event`, async () => {
      const answers = [];
      for (const model of [id, `tr-${id}`]) {
        const res = await ask(model);
        expect(res.status).toBe(200);
        const body = await res.text();
        const log = target.logs.at(-1)!;
        expect(log.fast_path).toBe(model === id);
        expect(log.outcome).toBe('upstream_error');
        expect(log.error_type).toBe('bad_upstream');
        expect(body).toContain('Partial');
        expect(body).not.toMatch(/^data: (\{not json|nope)$/m);
        // Nothing after the bad event either.
        expect(body).not.toMatch(/message_stop|\[DONE\]|"finish_reason":"stop"/);
        const last = parseSseText(body).events.at(-1)!;
        const error = JSON.parse(last.data).error;
        expect(error.message).toMatch(/^upstream sent an? (event|chunk) that is not JSON: (\{not json|nope)/);
        answers.push({ event: last.event, error });
      }
      // The same error event on both paths.
      expect(answers[0]).toEqual(answers[1]);
    });
  }

  for (const id of ['oa-bad-first', 'an-bad-first']) {
    test(`${id}: before content, a 502 saying the upstream sent an event that is not JSON`, async () => {
      const bodies = [];
      for (const model of [id, `tr-${id}`]) {
        const res = await ask(model);
        expect(res.status).toBe(502);
        const body = await res.json();
        expect(body.error.message).toMatch(/^upstream sent an? (event|chunk) that is not JSON/);
        expect(target.logs.at(-1)!.error_type).toBe('bad_upstream');
        bodies.push(body);
      }
      expect(bodies[0]).toEqual(bodies[1]);
    });
  }

  for (const id of ['oa-html', 'an-html']) {
    test(`${id}: a 200 text/html page is a 502 saying so, on both paths`, async () => {
      const bodies = [];
      for (const model of [id, `tr-${id}`]) {
        const res = await ask(model);
        expect(res.status).toBe(502);
        const body = await res.json();
        expect(body.error.message).toMatch(/answered text\/html, not an event stream/);
        expect(JSON.stringify(body)).not.toContain('nginx');
        bodies.push(body);
      }
      expect(bodies[0]).toEqual(bodies[1]);
    });
  }

  for (const id of ['oa-bad-first', 'an-bad-first', 'oa-html']) {
    test(`${id}: retried like any failure before content`, async () => {
      const before = upstream.served.get(id) ?? 0;
      const res = await ask(`retry-${id}`);
      expect(res.status).toBe(502);
      expect(target.logs.at(-1)!.attempts).toBe(2);
      expect(upstream.served.get(id)).toBe(before + 2);
    });
  }

  test('an error page (HTTP 502, HTML) is named the same way by every provider', async () => {
    for (const [model, provider] of [
      ['oa-502-page', 'openai'],
      ['an-502-page', 'anthropic'],
    ] as const) {
      const res = await ask(model);
      expect(res.status).toBe(502);
      expect((await res.json()).error.message).toBe(
        `upstream ${provider} answered HTTP 502: <html>Bad Gateway</html>`,
      );
    }
  });
});
