/**
 * Non-streamed answers of the client's own dialect reach it as the upstream sent them: every choice of `n`,
 * logprobs, the upstream's ids and fields no version of the API has yet, with only the model renamed to the
 * alias. Across dialects the answer is translated, as before.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createGateway, type Gateway } from '../src/index.ts';
import type { RequestLogLine } from '../src/log/request-log.ts';
import { serve } from '../src/node.ts';
import { configFrom } from './helpers/config.ts';

const CHAT = {
  id: 'chatcmpl-upstream-1',
  object: 'chat.completion',
  created: 1764800000,
  model: 'gpt-4o-2024-08-06',
  system_fingerprint: 'fp_up',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'One', refusal: null },
      logprobs: { content: [{ token: 'One', logprob: -0.1, bytes: [79, 110, 101], top_logprobs: [] }] },
      finish_reason: 'stop',
    },
    {
      index: 1,
      message: { role: 'assistant', content: 'Two', refusal: null },
      logprobs: { content: [{ token: 'Two', logprob: -0.2, bytes: [84, 119, 111], top_logprobs: [] }] },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
  made_up_field: { kept: true },
  echoed: 'a key the upstream should never have echoed: sk-oa-secret-key',
};

const MESSAGE = {
  id: 'msg_upstream_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-x',
  content: [
    { type: 'text', text: 'Hello' },
    { type: 'made_up_block', payload: 1 },
  ],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 7, output_tokens: 1, cache_read_input_tokens: 5 },
  container: { id: 'c1' },
};

const GEMINI = {
  candidates: [
    { content: { role: 'model', parts: [{ text: 'A' }] }, finishReason: 'STOP', avgLogprobs: -0.5, index: 0 },
    { content: { role: 'model', parts: [{ text: 'B' }] }, finishReason: 'STOP', avgLogprobs: -0.7, index: 1 },
  ],
  usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 2, totalTokenCount: 6 },
  modelVersion: 'gemini-x-001',
  responseId: 'up-resp-id',
};

/** Answers (with a 200) that are not answers: an error inside the body, and a body that is no object. */
const SPECIAL: Record<string, unknown> = {
  'error-in-200': {
    error: {
      message: 'You exceeded your current quota',
      type: 'insufficient_quota',
      code: 'insufficient_quota',
    },
  },
  'not-an-object': [1, 2, 3],
};

let upstream: Server;
let upstreamUrl: string;
const seen: Array<{ path: string; body: any }> = [];
let gateway: Gateway;
let server: { url: string; close(grace?: number): Promise<void> };
const logs: RequestLogLine[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const sent = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      seen.push({ path, body: sent });
      const answer =
        SPECIAL[sent.model as string] ??
        (path.includes('/chat/completions')
          ? CHAT
          : path.includes('/messages')
            ? MESSAGE
            : path.includes(':generateContent')
              ? GEMINI
              : { error: { message: 'no such path' } });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const config = configFrom(`
providers:
  oa: { type: openai, api_key: sk-oa-secret-key, base_url: ${upstreamUrl}/v1 }
  an: { type: anthropic, api_key: sk-an, base_url: ${upstreamUrl} }
  ge: { type: gemini, api_key: k-ge, base_url: ${upstreamUrl} }
models:
  c: { provider: oa, model: gpt-4o }
  c-error: { provider: oa, model: error-in-200 }
  c-array: { provider: oa, model: not-an-object }
  a: { provider: an, model: claude-x }
  g: { provider: ge, model: gemini-x }
`);
  gateway = await createGateway(config, { logger: (line) => logs.push(line) });
  server = await serve(gateway, { host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server.close(0);
  await gateway.close(0);
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('non-streamed, same dialect: the upstream answer as it sent it', () => {
  test('OpenAI Chat: n: 2 and logprobs reach the official SDK, with the upstream id and unknown fields', async () => {
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const completion = await openai.chat.completions.create({
      model: 'c',
      n: 2,
      logprobs: true,
      messages: [{ role: 'user', content: 'Say one or two' }],
    });
    expect(seen.at(-1)!.body).toMatchObject({ model: 'gpt-4o', n: 2, logprobs: true });
    expect(completion.choices.map((c) => c.message.content)).toEqual(['One', 'Two']);
    expect(completion.choices[1]!.logprobs?.content?.[0]?.token).toBe('Two');
    expect(completion.id).toBe('chatcmpl-upstream-1');
    expect(completion.model).toBe('c');
    expect((completion as unknown as Record<string, unknown>).made_up_field).toEqual({ kept: true });
    // Passed through, yet masked as the fast path masks: no configured secret leaves.
    expect((completion as unknown as Record<string, unknown>).echoed).toBe(
      'a key the upstream should never have echoed: [redacted]',
    );
    expect(logs.at(-1)).toMatchObject({ outcome: 'ok', fast_path: true, tokens_in: 9, tokens_out: 2 });
  });

  test('Anthropic Messages: unknown blocks and fields, the upstream id, cached tokens in the log', async () => {
    const res = await post(
      '/v1/messages',
      { model: 'a', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] },
      { 'anthropic-version': '2023-06-01' },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ...MESSAGE, model: 'a' });
    expect(logs.at(-1)).toMatchObject({ outcome: 'ok', fast_path: true, tokens_in: 12, tokens_out: 1 });
  });

  test('Gemini: every candidate, avgLogprobs and the upstream responseId; modelVersion is the alias', async () => {
    const res = await post('/v1beta/models/g:generateContent', {
      contents: [{ role: 'user', parts: [{ text: 'A or B' }] }],
      generationConfig: { candidateCount: 2 },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ...GEMINI, modelVersion: 'g' });
  });
});

test('a 200 whose body is an error is that error; a body that is no JSON object is a 502', async () => {
  const quota = await post('/v1/chat/completions', {
    model: 'c-error',
    messages: [{ role: 'user', content: 'Hi' }],
  });
  expect(quota.status).toBe(429);
  expect((await quota.json()).error).toMatchObject({ code: 'insufficient_quota' });
  const garbage = await post('/v1/chat/completions', {
    model: 'c-array',
    messages: [{ role: 'user', content: 'Hi' }],
  });
  expect(garbage.status).toBe(502);
  expect((await garbage.json()).error.message).toContain('not a JSON object');
});

test('across dialects the answer is still translated (an OpenAI client of the Anthropic alias)', async () => {
  const res = await post('/v1/chat/completions', { model: 'a', messages: [{ role: 'user', content: 'Hi' }] });
  const json = await res.json();
  expect(json.object).toBe('chat.completion');
  expect(json.choices[0].message.content).toBe('Hello');
  expect(logs.at(-1)).toMatchObject({ outcome: 'ok', fast_path: false });
});
