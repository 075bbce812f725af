/**
 * The official @anthropic-ai/sdk reads what encodeStream produces: the encoded events are served over a
 * loopback HTTP server and the SDK's own stream accumulator builds the final message.
 */

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { openaiChat } from '@tokenpak/openai';
import { ProviderError, type StreamEvent } from '@tokenpak/provider';
import { parseSse } from '@tokenpak/provider-utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { anthropicMessages } from '../../src/index.ts';
import { byteStream, collect, decodeBytes, eventsOf, frameSse, readFixture } from './support.ts';

let server: Server;
let client: Anthropic;
/** The SSE body the next request gets, and the request bodies seen. */
let nextBody = '';
const seen: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      seen.push(JSON.parse(raw));
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(nextBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new Anthropic({ baseURL: `http://127.0.0.1:${port}`, apiKey: 'test', maxRetries: 0 });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function serve(events: StreamEvent[], model = 'gpt-4-streaming'): Promise<void> {
  const wire = await collect(eventsOf(events).pipeThrough(anthropicMessages.encodeStream({ model })));
  nextBody = frameSse(wire);
}

const params = {
  model: 'gpt-4-streaming',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'Write a haiku about API proxies' }],
};

describe('@anthropic-ai/sdk accepts the encoded stream', () => {
  test('a translated OpenAI-style stream: text, parallel tool calls with gaps in indices, late usage', async () => {
    await serve([
      { type: 'message-start', id: 'chatcmpl-9', model: 'gpt-4o' },
      { type: 'block-start', index: 0, block: { type: 'text' } },
      { type: 'text-delta', index: 0, text: 'API' },
      { type: 'text-delta', index: 0, text: ' proxies' },
      { type: 'block-start', index: 2, block: { type: 'tool-call', id: 'call_1', name: 'lookup' } },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '{"q":"a' },
      { type: 'block-start', index: 3, block: { type: 'tool-call', id: 'call_2', name: 'lookup' } },
      { type: 'tool-call-delta', index: 3, argumentsDelta: '{"q":"b"}' },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '"}' },
      { type: 'finish', reason: 'tool-calls', usage: { inputTokens: 31, outputTokens: 12 } },
    ]);
    const texts: string[] = [];
    const stream = client.messages.stream(params).on('text', (text) => texts.push(text));
    const message = await stream.finalMessage();
    expect(seen.at(-1)).toMatchObject({ stream: true, model: 'gpt-4-streaming' });
    expect(texts).toEqual(['API', ' proxies']);
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'gpt-4-streaming',
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 31, output_tokens: 12 },
    });
    expect(message.id).toMatch(/^msg_01/);
    expect(message.content).toEqual([
      { type: 'text', text: 'API proxies' },
      { type: 'tool_use', id: 'call_1', name: 'lookup', input: { q: 'a' } },
      { type: 'tool_use', id: 'call_2', name: 'lookup', input: { q: 'b' } },
    ]);
  });

  test('a recorded thinking stream re-encoded: thinking text and signature survive', async () => {
    const canonical = await decodeBytes(byteStream([readFixture('thinking.sse')]));
    await serve(canonical, 'claude-opus-streaming');
    const message = await client.messages.stream(params).finalMessage();
    expect(message.model).toBe('claude-opus-streaming');
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    const thinking = message.content[0] as Anthropic.ThinkingBlock;
    expect(thinking.thinking).toMatch(/^This is a straightforward question about pedestrian safety\./);
    expect(thinking.signature).toHaveLength(504);
    expect(message.usage).toMatchObject({ input_tokens: 43, output_tokens: 282 });
    expect(message.stop_reason).toBe('end_turn');
  });

  test('create({ stream: true }) yields the raw events in order', async () => {
    const canonical = await decodeBytes(byteStream([readFixture('tool-use-parallel.sse')]));
    await serve(canonical);
    const stream = await client.messages.create({ ...params, stream: true });
    const types: string[] = [];
    let json = '';
    for await (const event of stream) {
      types.push(event.type);
      if (
        event.type === 'content_block_delta' &&
        event.delta.type === 'input_json_delta' &&
        event.index === 2
      ) {
        json += event.delta.partial_json;
      }
    }
    expect(types[0]).toBe('message_start');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(types.filter((t) => t === 'content_block_start')).toHaveLength(3);
    expect(JSON.parse(json)).toEqual({ location: 'San Francisco, CA', units: 'f' });
  });

  test('an in-stream error reaches the SDK as an APIError with the Anthropic error type', async () => {
    await serve([
      { type: 'message-start', id: 'x', model: 'm' },
      { type: 'block-start', index: 0, block: { type: 'text' } },
      { type: 'text-delta', index: 0, text: 'Hal' },
      { type: 'error', error: new ProviderError({ type: 'overloaded', message: 'Overloaded' }) },
    ]);
    const error = await client.messages
      .stream(params)
      .finalMessage()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
  });

  // The recipe's key flow: an Anthropic client, an OpenAI upstream.
  test('a recorded OpenAI stream (parallel tool calls) decoded by openai-chat reaches the SDK intact', async () => {
    const wire = readFileSync(
      new URL('../../../openai/test/fixtures/openai/chat-tool-calls-parallel.sse', import.meta.url),
      'utf8',
    );
    const canonical = await collect(parseSse(byteStream([wire])).pipeThrough(openaiChat.decodeStream()));
    await serve(canonical);
    const message = await client.messages.stream(params).finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    // Read off the recording: two calls, 149 prompt and 60 completion tokens.
    expect(message.content).toEqual([
      {
        type: 'tool_use',
        id: 'call_JMW1whyEaYG438VE1OIflxA2',
        name: 'GetWeatherArgs',
        input: { city: 'Edinburgh', country: 'GB', units: 'c' },
      },
      {
        type: 'tool_use',
        id: 'call_DNYTawLBoN8fj3KN6qU9N1Ou',
        name: 'get_stock_price',
        input: { ticker: 'AAPL', exchange: 'NASDAQ' },
      },
    ]);
    expect(message.usage).toMatchObject({ input_tokens: 149, output_tokens: 60 });
  });
});
