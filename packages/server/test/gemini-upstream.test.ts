/**
 * `type: gemini` (@tokenpak/gemini, the native generateContent API) behind every client dialect, against
 * recorded Gemini streams served by a fake upstream on loopback: text, and parallel function calls whose
 * thought signatures ride in the tool call ids.
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

const recording = (name: string) =>
  readFileSync(new URL(`../../gemini/test/fixtures/gemini/${name}`, import.meta.url), 'utf8');
/** The answer text of a recording (its non-thought text parts), read off it. */
function answerText(wire: string): string {
  let text = '';
  for (const line of wire.split(/\r?\n/)) {
    if (!line.startsWith('data: ')) continue;
    for (const part of JSON.parse(line.slice(6)).candidates?.[0]?.content?.parts ?? []) {
      if (typeof part.text === 'string' && !part.thought) text += part.text;
    }
  }
  return text;
}

let upstream: Server;
let gateway: Gateway;
let server: { url: string; close(grace?: number): Promise<void> };
const seen: Array<{ url: string; key: string | undefined }> = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ url: req.url ?? '', key: req.headers['x-goog-api-key'] as string | undefined });
      const model = /models\/([^:]+):/.exec(req.url ?? '')?.[1] ?? '';
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(recording(`${model}.sse`));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  gateway = await createGateway(
    configFrom(`
providers:
  google: { type: gemini, api_key: goog-test-key, base_url: "${url}", max_retries: 0 }
models:
  gem-text: { provider: google, model: text }
  gem-tools: { provider: google, model: function-calls-parallel }
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

test('OpenAI Chat Completions client: streamed text, then non-streamed', async () => {
  const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  const stream = await openai.chat.completions.create({
    model: 'gem-text',
    stream: true,
    messages: [{ role: 'user', content: 'Capital of France?' }],
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  expect(text).toBe(answerText(recording('text.sse')));
  expect(seen.at(-1)).toEqual({
    url: '/v1beta/models/text:streamGenerateContent?alt=sse',
    key: 'goog-test-key',
  });

  const whole = await openai.chat.completions.create({
    model: 'gem-text',
    messages: [{ role: 'user', content: 'Hi' }],
  });
  expect(whole.choices[0]?.message.content).toBe(answerText(recording('text.sse')));
  expect(seen.at(-1)?.url).toBe('/v1beta/models/text:generateContent');
});

test('Anthropic Messages client: parallel function calls as tool_use blocks', async () => {
  const anthropic = new Anthropic({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
  const message = await anthropic.messages
    .stream({
      model: 'gem-tools',
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Weather in Paris and London?' }],
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
    })
    .finalMessage();
  const calls = message.content.filter((block) => block.type === 'tool_use');
  expect(calls.length).toBeGreaterThan(1);
  expect(message.stop_reason).toBe('tool_use');
  for (const call of calls) expect(typeof call.input).toBe('object');
});

test('OpenAI Responses client: streamed text', async () => {
  const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  const final = await openai.responses
    .stream({ model: 'gem-text', input: 'Capital of France?' })
    .finalResponse();
  const text = final.output
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('');
  expect(text).toBe(answerText(recording('text.sse')));
  expect(final.usage?.input_tokens).toBeGreaterThan(0);
});
