/**
 * The official `openai` SDK (6.30.1) reads what the Responses encoders produce: a loopback HTTP server answers
 * `client.responses.create()` / `client.responses.stream()` with encodeStream / encodeResponse / encodeError
 * output, and the SDK's own accumulators are asserted.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CanonicalResponse, ProviderError, type StreamEvent } from '@tokenpak/provider';
import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openaiResponses } from '../../src/index.ts';
import { errorStream, parallelToolStream, reasoningStream, refusalStream, textStream } from './events.ts';
import { decodeWire, encodeEvents, frameSse, readRecording } from './helpers.ts';

let reply: { status: number; contentType: string; body: string } = {
  status: 500,
  contentType: 'text/plain',
  body: '',
};
let lastPath = '';
let server: Server;
let client: OpenAI;

beforeAll(async () => {
  server = createServer((req, res) => {
    lastPath = req.url ?? '';
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

/** The text of a response's messages (the SDK's stream helper sets no `output_text` without a text format). */
function textOf(response: { output: Array<{ type: string; content?: unknown }> }): string {
  return response.output
    .flatMap((item) =>
      item.type === 'message' ? (item.content as Array<{ type: string; text?: string }>) : [],
    )
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('');
}

function serveEvents(events: StreamEvent[]): void {
  reply = {
    status: 200,
    contentType: 'text/event-stream',
    body: frameSse(encodeEvents(events, { model: 'my-alias' })),
  };
}

const ask = { model: 'my-alias', input: 'hi' };

test('responses.stream(): text deltas and finalResponse() with output_text and usage', async () => {
  serveEvents(textStream);
  const deltas: string[] = [];
  const stream = client.responses.stream(ask).on('response.output_text.delta', (event) => {
    deltas.push(event.delta);
  });
  const response = await stream.finalResponse();
  expect(lastPath).toBe('/v1/responses');
  expect(deltas).toEqual(['Hello', ', world.']);
  expect(textOf(response)).toBe('Hello, world.');
  expect(response.status).toBe('completed');
  expect(response.model).toBe('my-alias');
  expect(response.id).toMatch(/^resp_/);
  expect(response.usage).toEqual({
    input_tokens: 12,
    input_tokens_details: { cached_tokens: 4 },
    output_tokens: 5,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 17,
  });
});

test('responses.create({ stream: true }): parallel tool calls read from output_item.done, as Codex does', async () => {
  serveEvents(parallelToolStream);
  const stream = await client.responses.create({ ...ask, stream: true });
  const calls: Array<[string, string, unknown]> = [];
  const seen: string[] = [];
  for await (const event of stream) {
    seen.push(event.type);
    if (event.type === 'response.output_item.done' && event.item.type === 'function_call') {
      calls.push([event.item.call_id, event.item.name, JSON.parse(event.item.arguments)]);
    }
  }
  expect(calls).toEqual([
    ['call_a', 'get_weather', { city: 'Paris' }],
    ['call_b', 'get_time', { tz: 'CET' }],
  ]);
  expect(seen.at(-1)).toBe('response.completed');
});

test('responses.stream(): the function-call recording, decoded and re-encoded, accumulates in the SDK', async () => {
  serveEvents(await decodeWire(readRecording('responses-function-call.sse')));
  const snapshots: string[] = [];
  const stream = client.responses
    .stream(ask)
    .on('response.function_call_arguments.delta', (event) => snapshots.push(event.snapshot));
  const response = await stream.finalResponse();
  expect(snapshots.at(-1)).toBe('{"country":"France"}');
  const call = response.output.find((item) => item.type === 'function_call');
  expect(call).toMatchObject({
    call_id: 'call_kL0PCQV7M2WMoVX8V8OtYSAL',
    name: 'get_capital',
    arguments: '{"country":"France"}',
  });
  expect(response.usage?.total_tokens).toBe(271);
});

test('responses.stream(): reasoning summary deltas and the reasoning item', async () => {
  serveEvents(reasoningStream);
  let summary = '';
  const stream = client.responses.stream(ask).on('response.reasoning_summary_text.delta', (event) => {
    summary += event.delta;
  });
  const response = await stream.finalResponse();
  expect(summary).toBe('The user wants the time.');
  const reasoning = response.output[0];
  expect(reasoning).toMatchObject({
    type: 'reasoning',
    summary: [{ type: 'summary_text', text: 'The user wants the time.' }],
    encrypted_content: 'sig-123',
  });
  expect(textOf(response)).toBe('Let me look.');
  expect(response.usage?.output_tokens_details.reasoning_tokens).toBe(10);
});

test('responses.stream(): a refusal', async () => {
  serveEvents(refusalStream);
  let refusal = '';
  const stream = client.responses.stream(ask).on('response.refusal.delta', (event) => {
    refusal += event.delta;
  });
  const response = await stream.finalResponse();
  expect(refusal).toBe("I can't help with that.");
  const message = response.output[0];
  expect(message?.type === 'message' && message.content).toMatchObject([
    { type: 'refusal', refusal: "I can't help with that." },
  ]);
});

test('a mid-stream error: iteration throws an APIError with the code; finalResponse() rejects', async () => {
  serveEvents(errorStream);
  const stream = await client.responses.create({ ...ask, stream: true });
  const error = await (async () => {
    try {
      for await (const _ of stream) {
        // read until it throws
      }
    } catch (caught) {
      return caught;
    }
    return undefined;
  })();
  expect(error).toBeInstanceOf(APIError);
  expect((error as APIError).code).toBe('context_length_exceeded');
  expect((error as APIError).message).toMatch(/prompt is too long/);

  serveEvents(errorStream);
  await expect(client.responses.stream(ask).finalResponse()).rejects.toThrow(/prompt is too long/);
});

test('the insufficient_quota recording re-encoded: APIError insufficient_quota', async () => {
  serveEvents(await decodeWire(readRecording('responses-error-insufficient-quota.sse')));
  await expect(client.responses.stream(ask).finalResponse()).rejects.toMatchObject({
    code: 'insufficient_quota',
  });
});

test('responses.create({ stream: false }): encodeResponse with text, tool calls, reasoning and usage', async () => {
  const canonical: CanonicalResponse = {
    id: 'upstream',
    model: 'upstream-model',
    content: [
      { type: 'reasoning', text: 'Thinking.', signature: 'sig' },
      { type: 'text', text: 'Two calls:' },
      { type: 'tool-call', id: 'call_1', name: 'a', arguments: '{"x":1}' },
      { type: 'tool-call', id: 'call_2', name: 'b', arguments: '' },
    ],
    finishReason: 'tool-calls',
    usage: { inputTokens: 10, outputTokens: 7, cacheReadTokens: 2, reasoningTokens: 3 },
  };
  reply = {
    status: 200,
    contentType: 'application/json',
    body: JSON.stringify(openaiResponses.encodeResponse(canonical, { model: 'my-alias' })),
  };
  const response = await client.responses.create({ ...ask, stream: false });
  expect(response.output_text).toBe('Two calls:');
  expect(response.status).toBe('completed');
  expect(response.output.map((item) => item.type)).toEqual([
    'reasoning',
    'message',
    'function_call',
    'function_call',
  ]);
  expect(
    response.output.filter((item) => item.type === 'function_call').map((item) => item.arguments),
  ).toEqual(['{"x":1}', '{}']);
  expect(response.usage).toEqual({
    input_tokens: 10,
    input_tokens_details: { cached_tokens: 2 },
    output_tokens: 7,
    output_tokens_details: { reasoning_tokens: 3 },
    total_tokens: 17,
  });
});

test('an error before the first byte: encodeError → the SDK throws with status, code and type', async () => {
  const { status, body } = openaiResponses.encodeError(
    new ProviderError({ type: 'rate_limit', message: 'Too many concurrent streams.' }),
  );
  reply = { status, contentType: 'application/json', body: JSON.stringify(body) };
  const error = await client.responses.create(ask).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(APIError);
  expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'rate_limit_error' });
});
