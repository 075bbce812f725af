/**
 * The gemini provider over real HTTP against the kit's fake upstream: where each call goes and with which
 * headers (the key in x-goog-api-key, never in the URL), a non-streamed complete(), an error before the
 * stream, a stream cut short, abort, a missing key, the options schema and the package's export.
 */
import { readFileSync } from 'node:fs';
import type { Provider } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import {
  callContext,
  collectEvents,
  type FakeUpstream,
  providerEntry,
  replay,
  startFakeUpstream,
  userRequest,
} from '@tokenpak/provider-utils/test';
import { afterAll, beforeAll, expect, test } from 'vitest';
import gemini, { createGeminiProvider, geminiDialect, optionsSchema } from '../src/index.ts';

const KEY = 'AIzaSy-secret-test-key';
const textSse = readFileSync(new URL('./fixtures/gemini/text.sse', import.meta.url), 'utf8');
/** The last frame of text.sse, as the body of a non-streamed generateContent. */
const wholeBody = textSse.split('\r\n\r\n').filter(Boolean).at(-1)?.slice('data: '.length) ?? '';

let upstream: FakeUpstream;
let provider: Provider;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  provider = createGeminiProvider({
    name: 'gem',
    config: providerEntry({ type: 'gemini', api_key: KEY, base_url: upstream.url }),
  });
});

afterAll(async () => {
  await provider.close?.();
  await upstream.close();
});

test('the package export: type gemini, an options schema, create', async () => {
  expect(gemini.type).toBe('gemini');
  expect(gemini.specificationVersion).toBe('v1');
  const p = await gemini.create({ name: 'x', config: providerEntry({ type: 'gemini', api_key: 'k' }) });
  expect(p.type).toBe('gemini');
  expect(p.dialect).toBe('gemini');
  await p.close?.();
  expect(geminiDialect.name).toBe('gemini');
});

test('stream: POST {base}/v1beta/models/{model}:streamGenerateContent?alt=sse, key in x-goog-api-key', async () => {
  upstream.handle((_req, res) => replay(res, textSse, { contentType: 'text/event-stream' }));
  const before = upstream.requests.length;
  const { summary } = await collectEvents(
    await provider.stream(
      userRequest('Hello', { system: 'Be brief.', maxTokens: 64, temperature: 0.2 }),
      callContext({ model: 'gemini-2.0-flash' }),
    ),
  );
  expect(summary.text).toBe('The capital of France is Paris.\n');
  const request = upstream.requests[before];
  expect(request?.method).toBe('POST');
  expect(request?.url).toBe('/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse');
  expect(request?.url).not.toContain(KEY);
  expect(request?.headers['x-goog-api-key']).toBe(KEY);
  expect(request?.headers['content-type']).toBe('application/json');
  expect(request?.json).toEqual({
    contents: [{ role: 'user', parts: [{ text: 'Hello' }] }],
    systemInstruction: { parts: [{ text: 'Be brief.' }] },
    generationConfig: { maxOutputTokens: 64, temperature: 0.2 },
  });
});

test('complete(): POST …:generateContent, the whole body parsed', async () => {
  upstream.handle((_req, res) => replay(res, wholeBody, { contentType: 'application/json; charset=UTF-8' }));
  const before = upstream.requests.length;
  const response = await provider.complete(
    userRequest('Hello', { stream: false }),
    callContext({ model: 'gemini-2.0-flash' }),
  );
  const request = upstream.requests[before];
  expect(request?.url).toBe('/v1beta/models/gemini-2.0-flash:generateContent');
  expect(request?.url).not.toContain(KEY);
  expect(request?.headers['x-goog-api-key']).toBe(KEY);
  expect(response).toEqual({
    id: 'w1peaMz6INOvnvgPgYfPiQY',
    model: 'gemini-2.0-flash-exp',
    content: [{ type: 'text', text: ' is Paris.\n' }],
    finishReason: 'stop',
    usage: { inputTokens: 13, outputTokens: 8 },
  });
});

test('base_url with a version, and api_version', async () => {
  const check = async (base: string, options: Record<string, unknown>, path: string) => {
    const p = createGeminiProvider({
      name: 'g',
      config: providerEntry({ type: 'gemini', api_key: KEY, base_url: `${upstream.url}${base}`, ...options }),
    });
    upstream.handle((_req, res) => replay(res, wholeBody, { contentType: 'application/json' }));
    const before = upstream.requests.length;
    await p.complete(userRequest('x'), callContext({ model: 'm-1' }));
    expect(upstream.requests[before]?.url).toBe(path);
    await p.close?.();
  };
  await check('/v1beta/', {}, '/v1beta/models/m-1:generateContent');
  await check('/proxy', {}, '/proxy/v1beta/models/m-1:generateContent');
  await check('', { api_version: 'v1' }, '/v1/models/m-1:generateContent');
});

test('429 RESOURCE_EXHAUSTED before the stream: rate_limit with Retry-After, the key redacted', async () => {
  upstream.handle((_req, res) =>
    replay(
      res,
      JSON.stringify({
        error: { code: 429, message: `Quota exceeded for key ${KEY}`, status: 'RESOURCE_EXHAUSTED' },
      }),
      { status: 429, contentType: 'application/json', headers: { 'retry-after': '7' } },
    ),
  );
  const error = await provider.stream(userRequest('x'), callContext()).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderError);
  expect(error).toMatchObject({
    type: 'rate_limit',
    status: 429,
    retryable: true,
    retryAfter: 7,
    code: 'RESOURCE_EXHAUSTED',
    provider: 'gem',
  });
  expect((error as ProviderError).message).toContain('Quota exceeded');
  expect((error as ProviderError).message).not.toContain(KEY);
});

test('a stream cut before the frame with finishReason ends with a network error', async () => {
  const cut = textSse.split('\r\n\r\n').slice(0, 2).join('\r\n\r\n') + '\r\n\r\n';
  upstream.handle((_req, res) => replay(res, cut, { contentType: 'text/event-stream' }));
  const { events, summary } = await collectEvents(await provider.stream(userRequest('x'), callContext()));
  expect(summary.text).toBe('The capital of France');
  expect(summary.finishReason).toBeUndefined();
  expect(events.at(-1)).toMatchObject({ type: 'error', error: { type: 'network' } });
});

test('an error frame inside the stream ends it with that error', async () => {
  const body = `${textSse.split('\r\n\r\n')[0]}\r\n\r\ndata: {"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}\r\n\r\n`;
  upstream.handle((_req, res) => replay(res, body, { contentType: 'text/event-stream' }));
  const { events } = await collectEvents(await provider.stream(userRequest('x'), callContext()));
  expect(events.at(-1)).toMatchObject({ type: 'error', error: { type: 'overloaded', code: 'UNAVAILABLE' } });
});

test('abort via the signal stops the stream and the upstream request', async () => {
  const first = `${textSse.split('\r\n\r\n')[0]}\r\n\r\n`;
  let closed!: () => void;
  const upstreamClosed = new Promise<void>((resolve) => {
    closed = resolve;
  });
  upstream.handle((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(first);
    res.on('close', () => closed());
    // Never ends by itself.
  });
  const controller = new AbortController();
  const stream = await provider.stream(userRequest('x'), callContext({ signal: controller.signal }));
  const reader = stream.getReader();
  expect(await reader.read()).toMatchObject({ value: { type: 'message-start' } });
  controller.abort();
  const rest: unknown[] = [];
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest.push(r.value);
  } catch {
    // Rejecting the read is a way to stop too.
  }
  expect(rest.some((e) => (e as { type: string }).type === 'finish')).toBe(false);
  await upstreamClosed;
});

test('no api_key: every call fails with authentication before the network', async () => {
  const p = createGeminiProvider({
    name: 'nokey',
    config: providerEntry({ type: 'gemini', base_url: upstream.url }),
  });
  const before = upstream.requests.length;
  await expect(p.stream(userRequest('x'), callContext())).rejects.toMatchObject({
    type: 'authentication',
    code: 'missing_api_key',
  });
  expect(upstream.requests.length).toBe(before);
  await p.close?.();
});

test('the options schema: api_version defaults to v1beta, unknown options and bad versions are issues', async () => {
  const validate = (v: unknown) => optionsSchema['~standard'].validate(v);
  expect(await validate({})).toEqual({ value: { api_version: 'v1beta' } });
  expect(await validate({ api_version: 'v1' })).toEqual({ value: { api_version: 'v1' } });
  expect(await validate({ api_version: 'v2' })).toMatchObject({ issues: [{ path: ['api_version'] }] });
  expect(await validate({ api_versoin: 'v1' })).toMatchObject({
    issues: [
      { path: ['api_versoin'], message: "is not an option of type gemini (did you mean 'api_version'?)" },
    ],
  });
  expect(await validate({ region: 'eu' })).toMatchObject({
    issues: [
      {
        path: ['region'],
        message: expect.stringMatching(
          /^is not an option of type gemini; its options: api_version \(besides/,
        ),
      },
    ],
  });
});
