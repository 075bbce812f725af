/**
 * `type: ollama` (@tokenpak/ollama, the native /api/chat with NDJSON) behind every client dialect, streamed and
 * not, against a recorded Ollama stream served by a fake upstream on loopback.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createGateway, type Gateway } from '../src/index.ts';
import { serve } from '../src/node.ts';
import { configFrom } from './helpers/config.ts';

const RECORDING = readFileSync(
  new URL('../../ollama/test/fixtures/ollama/chat-text-tail.ndjson', import.meta.url),
  'utf8',
);
/** The text and usage the recording carries, read off it. */
const lines = RECORDING.trim()
  .split('\n')
  .map((line) => JSON.parse(line));
const TEXT = lines.map((line) => line.message?.content ?? '').join('');
const LAST = lines.at(-1);

let upstream: Server;
let gateway: Gateway;
let server: { url: string; close(grace?: number): Promise<void> };
const bodies: Array<Record<string, any>> = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      const body = JSON.parse(text);
      bodies.push({ path: req.url, ...body });
      if (body.stream === false) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ...LAST, message: { role: 'assistant', content: TEXT } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.end(RECORDING);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  gateway = await createGateway(
    configFrom(`
providers:
  local: { type: ollama, base_url: "${url}", max_retries: 0 }
models:
  phi: { provider: local, model: phi3 }
`),
    { logger: () => {} },
  );
  server = await serve(gateway, { host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server.close(0);
  await gateway.close(0);
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

test('OpenAI Chat Completions client, streamed and not', async () => {
  const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  const stream = await openai.chat.completions.create({
    model: 'phi',
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'Hi' }],
  });
  let text = '';
  let usage: OpenAI.CompletionUsage | undefined;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  expect(text).toBe(TEXT);
  expect(usage).toMatchObject({ prompt_tokens: LAST.prompt_eval_count, completion_tokens: LAST.eval_count });
  expect(bodies.at(-1)).toMatchObject({ path: '/api/chat', model: 'phi3', stream: true });

  const whole = await openai.chat.completions.create({
    model: 'phi',
    messages: [{ role: 'user', content: 'Hi' }],
  });
  expect(whole.choices[0]?.message.content).toBe(TEXT);
  expect(whole.choices[0]?.finish_reason).toBe('stop');
});

test('Anthropic Messages client', async () => {
  const anthropic = new Anthropic({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
  const message = await anthropic.messages
    .stream({ model: 'phi', max_tokens: 300, messages: [{ role: 'user', content: 'Hi' }] })
    .finalMessage();
  expect(message.content).toEqual([{ type: 'text', text: TEXT }]);
  expect(message.stop_reason).toBe('end_turn');
  expect(message.usage.output_tokens).toBe(LAST.eval_count);
  expect(bodies.at(-1)?.options).toMatchObject({ num_predict: 300 });
});

test('OpenAI Responses client', async () => {
  const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  const final = await openai.responses.stream({ model: 'phi', input: 'Hi' }).finalResponse();
  const text = final.output
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('');
  expect(text).toBe(TEXT);
  expect(final.usage?.input_tokens).toBe(LAST.prompt_eval_count);
});
