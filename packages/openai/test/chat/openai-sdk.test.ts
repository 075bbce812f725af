/**
 * The official `openai` SDK reads what the encoders produce: a loopback HTTP server answers the SDK with
 * encodeStream / encodeResponse / encodeError output, and the SDK's own accumulators are asserted.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CanonicalResponse, ProviderError, type StreamEvent } from '@tokenpak/provider';
import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openaiChat } from '../../src/index.ts';
import { decodeWire, encodeEvents, frameSse, readFixture } from './helpers.ts';

/** What the next request gets: a status and a body (SSE text or JSON). */
let reply: { status: number; contentType: string; body: string } = {
  status: 500,
  contentType: 'text/plain',
  body: '',
};
let server: Server;
let client: OpenAI;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(reply.status, { 'content-type': reply.contentType });
      res.end(reply.body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  client = new OpenAI({ apiKey: 'test-key', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  server.close();
  await once(server, 'close');
});

async function serveEvents(events: StreamEvent[], includeUsage = true): Promise<void> {
  const wire = await encodeEvents(events, { model: 'my-alias', includeUsage });
  reply = { status: 200, contentType: 'text/event-stream', body: frameSse(wire) };
}

const ask = { model: 'my-alias', messages: [{ role: 'user' as const, content: 'hi' }] };

test('ChatCompletionStream accumulates parallel tool calls decoded from a recording', async () => {
  await serveEvents(await decodeWire(readFixture('openai/chat-tool-calls-parallel.sse')));
  const stream = client.chat.completions.stream({ ...ask, stream_options: { include_usage: true } });
  const completion = await stream.finalChatCompletion();
  const choice = completion.choices[0]!;
  expect(completion.model).toBe('my-alias');
  expect(completion.id).toMatch(/^chatcmpl-/);
  expect(choice.finish_reason).toBe('tool_calls');
  expect(
    choice.message.tool_calls?.map(
      (call) =>
        call.type === 'function' && [call.id, call.function.name, JSON.parse(call.function.arguments)],
    ),
  ).toEqual([
    ['call_JMW1whyEaYG438VE1OIflxA2', 'GetWeatherArgs', { city: 'Edinburgh', country: 'GB', units: 'c' }],
    ['call_DNYTawLBoN8fj3KN6qU9N1Ou', 'get_stock_price', { ticker: 'AAPL', exchange: 'NASDAQ' }],
  ]);
  expect(completion.usage).toEqual({
    prompt_tokens: 149,
    completion_tokens: 60,
    total_tokens: 209,
    completion_tokens_details: { reasoning_tokens: 0 },
  });
});

test('streamed text, reasoning and refusal reach the SDK', async () => {
  await serveEvents(await decodeWire(readFixture('openai-compatible/deepseek-reasoning-content.sse')));
  const text: string[] = [];
  let reasoning = '';
  const stream = await client.chat.completions.create({
    ...ask,
    stream: true,
    stream_options: { include_usage: true },
  });
  let usage: OpenAI.CompletionUsage | null | undefined;
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined;
    if (delta?.content) text.push(delta.content);
    if (delta?.reasoning_content) reasoning += delta.reasoning_content;
    if (chunk.usage) usage = chunk.usage;
  }
  expect(text.join('')).toBe('Hello there! 😊 How can I help you today?');
  expect(reasoning).toBe('Hmm, the user just said "Hello". It\'s and that\'s okay too.');
  expect(usage?.completion_tokens_details?.reasoning_tokens).toBe(198);

  await serveEvents(await decodeWire(readFixture('openai/chat-refusal.sse')), false);
  const refused = await client.chat.completions.stream(ask).finalChatCompletion();
  expect(refused.choices[0]?.message.refusal).toBe("I'm sorry, I can't assist with that request.");
  expect(refused.usage).toBeUndefined();
});

test('an error chunk mid-stream makes the SDK throw an APIError with the message and code', async () => {
  await serveEvents(await decodeWire(readFixture('openai-compatible/groq-midstream-error-event.sse')));
  const stream = await client.chat.completions.create({ ...ask, stream: true });
  const seen: string[] = [];
  const failure = await (async () => {
    for await (const chunk of stream) seen.push(chunk.object);
  })().catch((error: unknown) => error);
  expect(seen.length).toBeGreaterThan(1);
  expect(failure).toBeInstanceOf(APIError);
  expect((failure as APIError).message).toMatch(/Tool call validation failed/);
  expect((failure as APIError).code).toBe('tool_use_failed');
});

test('encodeResponse is a chat.completion the SDK returns as is', async () => {
  const response: CanonicalResponse = {
    id: 'msg_1',
    model: 'claude-x',
    content: [
      { type: 'reasoning', text: 'hmm', signature: 's' },
      { type: 'text', text: 'Let me check.' },
      { type: 'tool-call', id: 'toolu_1', name: 'weather', arguments: '{"city":"Oslo"}' },
    ],
    finishReason: 'tool-calls',
    usage: { inputTokens: 12, outputTokens: 5 },
  };
  const body = openaiChat.encodeResponse(response, { model: 'my-alias', id: 'chatcmpl-abc' });
  reply = { status: 200, contentType: 'application/json', body: JSON.stringify(body) };
  const completion = await client.chat.completions.create(ask);
  expect(completion.id).toBe('chatcmpl-abc');
  expect(completion.choices[0]?.message).toEqual({
    role: 'assistant',
    content: 'Let me check.',
    refusal: null,
    reasoning_content: 'hmm',
    tool_calls: [
      { id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
    ],
  });
  expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
  expect(completion.usage).toEqual({ prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 });
  expect(openaiChat.parseResponse(body)).toMatchObject({
    content: response.content.map((block) =>
      block.type === 'reasoning' ? { type: 'reasoning', text: 'hmm' } : block,
    ),
    finishReason: 'tool-calls',
  });
});

test('encodeError gives the SDK its error classes, status and fields', async () => {
  const { status, body } = openaiChat.encodeError(
    new ProviderError({ type: 'rate_limit', message: 'Too many streams', code: 'concurrency_limit' }),
  );
  reply = { status, contentType: 'application/json', body: JSON.stringify(body) };
  const failure = await client.chat.completions.create(ask).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
  expect((failure as APIError).status).toBe(429);
  expect((failure as APIError).type).toBe('rate_limit_error');
  expect((failure as APIError).code).toBe('concurrency_limit');
  expect((failure as APIError).message).toContain('Too many streams');
});
