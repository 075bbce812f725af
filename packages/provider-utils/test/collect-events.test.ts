/** collectEvents / summarizeEvents: the summary of a finished stream, of a failed one, and of one cut short. */
import type { StreamEvent } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { collectEvents, summarizeEvents } from '../src/test/collect-events.ts';

function streamOf(events: StreamEvent[]): ReadableStream<StreamEvent> {
  return new ReadableStream({
    start(controller) {
      for (const event of events) controller.enqueue(event);
      controller.close();
    },
  });
}

const content: StreamEvent[] = [
  { type: 'message-start', id: 'msg_1', model: 'm-1', usage: { inputTokens: 10 } },
  { type: 'block-start', index: 0, block: { type: 'reasoning' } },
  { type: 'reasoning-delta', index: 0, text: 'Let me ' },
  { type: 'reasoning-delta', index: 0, text: 'think.' },
  { type: 'reasoning-signature', index: 0, signature: 'ab' },
  { type: 'reasoning-signature', index: 0, signature: 'cd' },
  { type: 'block-stop', index: 0 },
  { type: 'block-start', index: 2, block: { type: 'text' } },
  { type: 'text-delta', index: 2, text: 'Héllo ' },
  { type: 'text-delta', index: 2, text: '👋' },
  { type: 'block-stop', index: 2 },
  { type: 'block-start', index: 3, block: { type: 'tool-call', id: 'call_1', name: 'get' } },
  { type: 'block-start', index: 4, block: { type: 'tool-call', id: 'call_2', name: 'bad' } },
  { type: 'tool-call-delta', index: 3, argumentsDelta: '{"city":' },
  { type: 'tool-call-delta', index: 4, argumentsDelta: '{"cut' },
  { type: 'tool-call-delta', index: 3, argumentsDelta: '"Paris"}' },
  { type: 'block-stop', index: 3 },
  { type: 'block-stop', index: 4 },
  { type: 'usage', usage: { outputTokens: 5 } },
];

describe('collectEvents', () => {
  test('a finished stream: blocks by index, joined texts, parsed tool arguments, merged usage', async () => {
    const events: StreamEvent[] = [
      ...content,
      { type: 'finish', reason: 'tool-calls', usage: { outputTokens: 7, reasoningTokens: 2 } },
    ];
    const { events: read, summary } = await collectEvents(streamOf(events));
    expect(read).toEqual(events);
    expect(summary.id).toBe('msg_1');
    expect(summary.model).toBe('m-1');
    expect(summary.blockTypes).toEqual(['reasoning', 'text', 'tool-call', 'tool-call']);
    expect(summary.blocks[0]).toEqual({
      index: 0,
      type: 'reasoning',
      text: 'Let me think.',
      signature: 'abcd',
    });
    expect(summary.blocks[1]).toEqual({ index: 2, type: 'text', text: 'Héllo 👋' });
    expect(summary.text).toBe('Héllo 👋');
    expect(summary.reasoning).toBe('Let me think.');
    expect(summary.refusal).toBe('');
    expect(summary.toolCalls[0]).toEqual({
      index: 3,
      id: 'call_1',
      name: 'get',
      arguments: '{"city":"Paris"}',
      input: { city: 'Paris' },
    });
    expect(summary.toolCalls[1]?.input).toBeUndefined();
    expect(summary.toolCalls[1]?.argumentsError).toMatch(/JSON/);
    expect(summary.finishReason).toBe('tool-calls');
    expect(summary.usage).toEqual({ inputTokens: 10, outputTokens: 7, reasoningTokens: 2 });
    expect(summary.error).toBeUndefined();
    expect(summary.counts['text-delta']).toBe(2);
    expect(summary.counts.finish).toBe(1);
  });

  test('a failed stream: the content so far, the error as plain data, no finish reason', async () => {
    const error = new ProviderError({
      type: 'overloaded',
      message: 'Overloaded',
      code: 'overloaded_error',
      provider: 'p',
    });
    const summary = await summarizeEvents([...content.slice(0, 10), { type: 'error', error }]);
    expect(summary.text).toBe('Héllo 👋');
    expect(summary.finishReason).toBeUndefined();
    expect(summary.usage).toEqual({ inputTokens: 10 });
    expect(summary.error).toEqual({
      type: 'overloaded',
      message: 'Overloaded',
      status: 529,
      retryable: true,
      code: 'overloaded_error',
      provider: 'p',
    });
  });

  test('a stream cut short: no finish reason, no error, the content so far', async () => {
    const summary = await summarizeEvents(content.slice(0, 4));
    expect(summary.reasoning).toBe('Let me think.');
    expect(summary.finishReason).toBeUndefined();
    expect(summary.error).toBeUndefined();
  });

  test('a stop sequence and empty tool arguments', async () => {
    const summary = await summarizeEvents([
      { type: 'message-start', id: '', model: '' },
      { type: 'block-start', index: 0, block: { type: 'tool-call', id: 'c', name: 'now' } },
      { type: 'block-stop', index: 0 },
      { type: 'finish', reason: 'stop-sequence', stopSequence: '###', usage: {} },
    ]);
    expect(summary.stopSequence).toBe('###');
    expect(summary.toolCalls[0]?.input).toEqual({});
  });
});
