/**
 * Configured secrets never reach the client or the log, whatever the upstream echoes: in-band error events on
 * the same-dialect fast path (bytes forwarded untouched) as on the translated path, error bodies before the
 * first byte, non-streamed answers. Secrets are the API keys, auth-like `headers:` values and client keys.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type BytesUpstream, startBytesUpstream } from './helpers/bytes-upstream.ts';
import { configFrom } from './helpers/config.ts';
import { MODES, post, startTarget, type Target } from './helpers/targets.ts';

const OPENAI_KEY = 'sk-OAKEYSECRET123';
const ANTHROPIC_KEY = 'ant-KEYSECRET456';
const HEADER_KEY = 'hdr-SECRET-7788';

const OPENAI_CONTENT =
  'data: {"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Partial"},"finish_reason":null}]}\n\n';
const ANTHROPIC_CONTENT =
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_s","type":"message","role":"assistant","content":[],"model":"m","usage":{"input_tokens":3,"output_tokens":1}}}\n\n' +
  'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n' +
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Partial"}}\n\n';

const openaiEcho = (secret: string) => ({
  parts: [OPENAI_CONTENT, `data: {"error":{"message":"bad key Bearer ${secret}"}}\n\n`],
});
const anthropicEcho = (secret: string) => ({
  parts: [
    ANTHROPIC_CONTENT,
    `event: error\ndata: {"type":"error","error":{"type":"api_error","message":"bad key ${secret}"}}\n\n`,
  ],
});

/** Each upstream model id is served by a fast alias (the id itself) and a translated one (`tr-<id>`). */
const UPSTREAMS: Record<string, { provider: string; anthropic: boolean; secret: string }> = {
  'oa-echo': { provider: 'openai', anthropic: false, secret: OPENAI_KEY },
  'an-echo': { provider: 'anthropic', anthropic: true, secret: ANTHROPIC_KEY },
  'hdr-echo': { provider: 'oa-header', anthropic: false, secret: HEADER_KEY },
};

function config(url: string) {
  const models = Object.entries(UPSTREAMS)
    .map(
      ([id, { provider }]) =>
        `  ${id}: { provider: ${provider}, buffer_tokens: 1 }\n` +
        `  tr-${id}: { provider: ${provider}, model: ${id}, buffer_tokens: 2 }`,
    )
    .join('\n');
  return configFrom(
    `
streaming:
  enabled: true
  resume: { enabled: false }
providers:
  openai: { type: openai, api_key: "\${OPENAI_API_KEY}", base_url: ${url}/v1, max_retries: 0 }
  anthropic: { type: anthropic, api_key: "\${ANTHROPIC_API_KEY}", base_url: ${url}, max_retries: 0 }
  oa-header:
    type: openai
    api_key: overridden-by-the-header
    base_url: ${url}/v1
    max_retries: 0
    headers: { Authorization: "Bearer ${HEADER_KEY}" }
models:
${models}
`,
    { OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY },
  );
}

const ask = (model: string, stream: boolean) => ({
  model,
  stream,
  max_tokens: 50,
  messages: [{ role: 'user', content: 'hi' }],
});

let upstream: BytesUpstream;
beforeAll(async () => {
  upstream = await startBytesUpstream();
});
afterAll(() => upstream.close());

describe.each(MODES)('secrets never leave (%s)', (mode) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget(mode, config(upstream.url));
  });
  afterAll(() => target.close());

  for (const [id, { anthropic, secret }] of Object.entries(UPSTREAMS)) {
    for (const alias of [id, `tr-${id}`]) {
      test(`${alias}: an in-band error event echoing the key, after content`, async () => {
        upstream.answer(id, anthropic ? anthropicEcho(secret) : openaiEcho(secret));
        const logged = target.logs.length;
        const res = await post(target, anthropic ? '/v1/messages' : '/v1/chat/completions', ask(alias, true));
        expect(res.status).toBe(200);
        const body = await res.text();
        expect(body).toContain('Partial');
        expect(body).toContain('bad key');
        expect(body).not.toContain(secret);
        const line = target.logs.slice(logged).find((l) => l.model === alias);
        expect(line?.error).toBeDefined();
        expect(JSON.stringify(line)).not.toContain(secret);
      });
    }
  }

  test('every event is masked, not only errors: content echoing a key, on the fast path and translated, streamed and not', async () => {
    for (const [alias, path, stream] of [
      ['oa-echo', '/v1/chat/completions', true],
      ['tr-oa-echo', '/v1/chat/completions', true],
      ['oa-echo', '/v1/messages', true],
      ['oa-echo', '/v1/messages', false],
    ] as const) {
      upstream.answer('oa-echo', {
        parts: [OPENAI_CONTENT.replace('Partial', `key is ${HEADER_KEY}`), 'data: [DONE]\n\n'],
      });
      const res = await post(target, path, ask(alias, stream));
      const body = await res.text();
      expect(body, `${alias} ${path} ${stream}`).toContain('key is [redacted]');
      expect(body).not.toContain(HEADER_KEY);
    }
  });

  test('an error body before the first byte, streamed and not, same dialect', async () => {
    for (const stream of [true, false]) {
      upstream.answer('hdr-echo', {
        status: 401,
        contentType: 'application/json',
        parts: [JSON.stringify({ error: { message: `bad key Bearer ${HEADER_KEY}` } })],
      });
      const logged = target.logs.length;
      const res = await post(target, '/v1/chat/completions', ask('hdr-echo', stream));
      expect(res.status).toBe(401);
      const body = await res.text();
      expect(body).toContain('bad key');
      expect(body).not.toContain(HEADER_KEY);
      expect(JSON.stringify(target.logs.slice(logged))).not.toContain(HEADER_KEY);
    }
  });

  test('a non-streamed same-dialect answer echoing a key in an error', async () => {
    upstream.answer('an-echo', {
      status: 200,
      contentType: 'application/json',
      parts: [
        JSON.stringify({ type: 'error', error: { type: 'api_error', message: `bad ${ANTHROPIC_KEY}` } }),
      ],
    });
    const res = await post(target, '/v1/messages', ask('an-echo', false));
    const body = await res.text();
    expect(body).not.toContain(ANTHROPIC_KEY);
  });
});
