/**
 * The encoder against the Responses wire order (assertResponsesOrder in helpers.ts), event by event.
 */
import { ProviderError } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { openaiResponses } from '../../src/index.ts';
import {
  errorStream,
  lengthStream,
  parallelToolStream,
  reasoningStream,
  refusalStream,
  textStream,
} from './events.ts';
import {
  assertResponsesOrder,
  decodeWire,
  encodeEvents,
  payloads,
  RECORDINGS,
  readRecording,
} from './helpers.ts';

const types = (wire: ReturnType<typeof encodeEvents>) => wire.map((event) => event.event);

test('text: the exact event sequence, ids and indexes, and the final response', () => {
  const wire = encodeEvents(textStream, { model: 'my-alias', id: 'resp_fixed' });
  expect(types(wire)).toEqual([
    'response.created',
    'response.in_progress',
    'response.output_item.added',
    'response.content_part.added',
    'response.output_text.delta',
    'response.output_text.delta',
    'response.output_text.done',
    'response.content_part.done',
    'response.output_item.done',
    'response.completed',
  ]);
  const data = payloads(wire);
  const itemId = data[2]?.item.id;
  expect(itemId).toMatch(/^msg_/);
  expect(data[4]).toEqual({
    type: 'response.output_text.delta',
    sequence_number: 4,
    item_id: itemId,
    output_index: 0,
    content_index: 0,
    delta: 'Hello',
    logprobs: [],
  });
  const response = assertResponsesOrder(wire);
  expect(response).toMatchObject({
    id: 'resp_fixed',
    object: 'response',
    status: 'completed',
    model: 'my-alias',
    error: null,
    incomplete_details: null,
    output: [
      {
        id: itemId,
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Hello, world.', annotations: [] }],
      },
    ],
    usage: {
      input_tokens: 12,
      input_tokens_details: { cached_tokens: 4 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 17,
    },
  });
  expect(typeof response.created_at).toBe('number');
});

test('a minted response id is resp_…', () => {
  const response = assertResponsesOrder(encodeEvents(textStream));
  expect(response.id).toMatch(/^resp_[0-9a-f]{32}$/);
});

test('parallel tool calls: one function_call item each, interleaved deltas by output_index', () => {
  const wire = encodeEvents(parallelToolStream);
  const response = assertResponsesOrder(wire);
  expect(types(wire).slice(2, 7)).toEqual([
    'response.output_item.added', // message
    'response.content_part.added',
    'response.output_text.delta',
    'response.output_text.done',
    'response.content_part.done',
  ]);
  // The message is done before the first call is announced.
  expect(types(wire)[7]).toBe('response.output_item.done');
  const data = payloads(wire);
  const added = data.filter(
    (d) => d.type === 'response.output_item.added' && d.item.type === 'function_call',
  );
  expect(added.map((d) => [d.output_index, d.item.call_id, d.item.name, d.item.arguments])).toEqual([
    [1, 'call_a', 'get_weather', ''],
    [2, 'call_b', 'get_time', ''],
  ]);
  const done = data.filter((d) => d.type === 'response.function_call_arguments.done');
  expect(done.map((d) => [d.output_index, d.name, d.arguments])).toEqual([
    [1, 'get_weather', '{"city":"Paris"}'],
    [2, 'get_time', '{"tz":"CET"}'],
  ]);
  expect(response.output.map((item: { type: string }) => item.type)).toEqual([
    'message',
    'function_call',
    'function_call',
  ]);
  expect(response.status).toBe('completed');
});

test('reasoning summary, encrypted_content from the signature, and {} for a call without arguments', () => {
  const wire = encodeEvents(reasoningStream);
  const response = assertResponsesOrder(wire);
  expect(types(wire).slice(2, 9)).toEqual([
    'response.output_item.added',
    'response.reasoning_summary_part.added',
    'response.reasoning_summary_text.delta',
    'response.reasoning_summary_text.delta',
    'response.reasoning_summary_text.done',
    'response.reasoning_summary_part.done',
    'response.output_item.done',
  ]);
  expect(response.output[0]).toMatchObject({
    type: 'reasoning',
    summary: [{ type: 'summary_text', text: 'The user wants the time.' }],
    encrypted_content: 'sig-123',
  });
  expect(response.output[2]).toMatchObject({ type: 'function_call', call_id: 'toolu_1', arguments: '{}' });
  expect(response.usage.output_tokens_details).toEqual({ reasoning_tokens: 10 });
});

test('refusal: a refusal content part with refusal.delta / .done', () => {
  const wire = encodeEvents(refusalStream);
  const response = assertResponsesOrder(wire);
  expect(types(wire)).toContain('response.refusal.delta');
  expect(types(wire)).toContain('response.refusal.done');
  expect(response.output[0].content).toEqual([{ type: 'refusal', refusal: "I can't help with that." }]);
});

test('length: response.incomplete with max_output_tokens, open parts closed first', () => {
  const wire = encodeEvents(lengthStream);
  const response = assertResponsesOrder(wire);
  expect(types(wire).at(-1)).toBe('response.incomplete');
  expect(response.status).toBe('incomplete');
  expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
  expect(response.output[0]).toMatchObject({ status: 'incomplete', content: [{ text: 'Once upon' }] });
});

test.each([
  ['content-filter', 'content_filter'],
  ['refusal', 'content_filter'],
] as const)('finish %s → incomplete %s', (reason, expected) => {
  const events = [...textStream.slice(0, -1), { type: 'finish' as const, reason, usage: {} }];
  const response = assertResponsesOrder(encodeEvents(events));
  expect(response.incomplete_details).toEqual({ reason: expected });
});

test('an error mid-stream: error (SDK) then response.failed with the code Codex acts on', () => {
  const wire = encodeEvents(errorStream);
  const response = assertResponsesOrder(wire);
  const data = payloads(wire);
  expect(types(wire).slice(-2)).toEqual(['error', 'response.failed']);
  expect(data.at(-2)).toMatchObject({
    type: 'error',
    code: 'context_length_exceeded',
    message: 'prompt is too long: 210000 tokens > 200000 maximum',
    param: null,
    error: { type: 'invalid_request_error', code: 'context_length_exceeded' },
  });
  expect(response.status).toBe('failed');
  expect(response.error).toEqual({
    code: 'context_length_exceeded',
    message: 'prompt is too long: 210000 tokens > 200000 maximum',
  });
});

test.each([
  [new ProviderError({ type: 'rate_limit', message: 'slow down' }), 'rate_limit_exceeded'],
  [
    new ProviderError({ type: 'rate_limit', code: 'insufficient_quota', message: 'no credit' }),
    'insufficient_quota',
  ],
  [new ProviderError({ type: 'overloaded', message: 'busy' }), 'server_error'],
  [new ProviderError({ type: 'invalid_request', message: 'bad image' }), 'invalid_prompt'],
])('error %# → response.error.code %s', (error, code) => {
  const response = assertResponsesOrder(encodeEvents([textStream[0]!, { type: 'error', error }]));
  expect(response.error.code).toBe(code);
});

test('an error before message-start still opens the stream (the SDK needs response.created first)', () => {
  const wire = encodeEvents([
    { type: 'error', error: new ProviderError({ type: 'timeout', message: 'late' }) },
  ]);
  assertResponsesOrder(wire);
  expect(types(wire)).toEqual(['response.created', 'response.in_progress', 'error', 'response.failed']);
});

test('a stream that ends without finish fails with a network error', () => {
  const wire = encodeEvents(textStream.slice(0, 3));
  const response = assertResponsesOrder(wire);
  expect(response.error.code).toBe('server_error');
  expect(response.error.message).toMatch(/ended before it finished/);
});

test('nothing is sent after the terminal event', () => {
  const wire = encodeEvents([...textStream, ...textStream.slice(1)]);
  assertResponsesOrder(wire);
});

test('encodeStream (TransformStream) gives the same events as the stage', async () => {
  const source = new ReadableStream({
    start(controller) {
      for (const event of textStream) controller.enqueue(event);
      controller.close();
    },
  });
  const out = [];
  for await (const event of source.pipeThrough(
    openaiResponses.encodeStream({ model: 'm', id: 'resp_1' }),
  ) as unknown as AsyncIterable<unknown>)
    out.push(event);
  expect(out).toHaveLength(10);
});

describe('round trip: recording → decode → encode → a valid Responses stream', () => {
  test.each(RECORDINGS)('%s', async (name) => {
    const response = assertResponsesOrder(
      encodeEvents(await decodeWire(readRecording(name)), { model: 'alias' }),
    );
    expect(response.model).toBe('alias');
    if (name.includes('insufficient-quota')) expect(response.error.code).toBe('insufficient_quota');
    if (name === 'responses-text.sse') expect(response.usage.total_tokens).toBe(287);
    if (name === 'responses-reasoning-function-call.sse') {
      expect(response.output.map((item: { type: string }) => item.type)).toEqual([
        'reasoning',
        'function_call',
      ]);
      expect(response.output[0].encrypted_content).toMatch(/^gAAAAABoyXvxI6jwG5j6/);
      expect(response.usage.output_tokens_details.reasoning_tokens).toBe(448);
    }
  });
});
