import type { CanonicalResponse, StreamEvent } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { collectResponse } from '../src/stream/collect-response.ts';
import { guardEvents } from '../src/stream/guard-events.ts';
import { simulateStream } from '../src/stream/simulate-stream.ts';
import { splitPieces, splitWords } from '../src/stream/split-text.ts';
import { readAll } from '../src/test/call-context.ts';

const full: CanonicalResponse = {
  id: 'msg_1',
  model: 'm',
  content: [
    { type: 'reasoning', text: 'Think  about it.\nThen answer.', signature: 'sig==' },
    { type: 'redacted-reasoning', data: 'opaque' },
    { type: 'text', text: ' Héllo 👋 world! ' },
    { type: 'refusal', text: 'I cannot.' },
    { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Zürich 🌧️","units":"c"}' },
  ],
  finishReason: 'tool-calls',
  usage: { inputTokens: 12, outputTokens: 34, reasoningTokens: 5 },
};

function streamOf(events: StreamEvent[], error?: unknown): ReadableStream<StreamEvent> {
  let next = 0;
  return new ReadableStream(
    {
      pull(controller) {
        const event = events[next++];
        if (event) controller.enqueue(event);
        else if (error) controller.error(error);
        else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}

describe('splitWords / splitPieces', () => {
  test.each([
    'API proxies pass',
    '  leading and trailing  ',
    'line\nbreaks\n\nkept\n',
    'ünïcödé 👋🏽 emoji',
    '',
    '   ',
  ])('pieces of %j concatenate back to the text', (text) => {
    const pieces = splitWords(text);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces.slice(0, -1)) expect(piece).toMatch(/^\s*\S+$/);
  });

  test('word pieces carry their leading space', () => {
    expect(splitWords('API proxies pass')).toEqual(['API', ' proxies', ' pass']);
  });

  test('pieces never split a surrogate pair', () => {
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    const text = '{"e":"😀😀😀😀😀"}';
    for (let count = 1; count <= text.length; count++) {
      const pieces = splitPieces(text, count);
      expect(pieces.join('')).toBe(text);
      for (const piece of pieces) expect(piece).not.toMatch(loneSurrogate);
    }
  });
});

describe('simulateStream / collectResponse', () => {
  test('a simulated stream collects back into the same response', async () => {
    expect(await collectResponse(simulateStream(full))).toEqual(full);
  });

  test('the simulated stream is well formed: start, blocks in order, usage, finish', async () => {
    const events = await readAll(simulateStream(full));
    expect(events[0]).toEqual({ type: 'message-start', id: 'msg_1', model: 'm', usage: { inputTokens: 12 } });
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls', usage: full.usage });
    const structure = events
      .filter((e) => e.type === 'block-start' || e.type === 'block-stop')
      .map((e) => `${e.type}:${(e as { index: number }).index}`);
    expect(structure).toEqual([0, 1, 2, 3, 4].flatMap((i) => [`block-start:${i}`, `block-stop:${i}`]));
    const textDeltas = events.filter((e) => e.type === 'text-delta' && e.index === 2);
    expect(textDeltas.map((e) => (e as { text: string }).text)).toEqual([' Héllo', ' 👋', ' world! ']);
    const toolDeltas = events.filter((e) => e.type === 'tool-call-delta');
    expect(toolDeltas.length).toBeGreaterThan(1);
    expect(events.find((e) => e.type === 'reasoning-signature')).toEqual({
      type: 'reasoning-signature',
      index: 0,
      signature: 'sig==',
    });
  });

  test('an error event rejects with its ProviderError', async () => {
    const error = new ProviderError({ type: 'overloaded', message: 'Overloaded' });
    const events: StreamEvent[] = [
      { type: 'message-start', id: 'x', model: 'm' },
      { type: 'block-start', index: 0, block: { type: 'text' } },
      { type: 'text-delta', index: 0, text: 'Hi' },
      { type: 'error', error },
    ];
    await expect(collectResponse(streamOf(events))).rejects.toBe(error);
  });

  test('a stream that ends without finish rejects as bad_upstream', async () => {
    const events: StreamEvent[] = [{ type: 'message-start', id: 'x', model: 'm' }];
    await expect(collectResponse(streamOf(events))).rejects.toMatchObject({ type: 'bad_upstream' });
  });

  test('usage from message-start, usage events and finish is merged field by field', async () => {
    const events: StreamEvent[] = [
      { type: 'message-start', id: 'x', model: 'm', usage: { inputTokens: 3, outputTokens: 1 } },
      { type: 'usage', usage: { outputTokens: 7 } },
      { type: 'finish', reason: 'stop-sequence', stopSequence: 'END', usage: { cacheReadTokens: 2 } },
    ];
    expect(await collectResponse(streamOf(events))).toEqual({
      id: 'x',
      model: 'm',
      content: [],
      finishReason: 'stop-sequence',
      stopSequence: 'END',
      usage: { inputTokens: 3, outputTokens: 7, cacheReadTokens: 2 },
    });
  });
});

describe('guardEvents', () => {
  test('a read failure becomes a final error event, never a thrown error', async () => {
    const failure = new ProviderError({ type: 'timeout', message: 'idle' });
    const seen: Array<ProviderError | undefined> = [];
    const events = await readAll(
      guardEvents(streamOf([{ type: 'message-start', id: 'x', model: 'm' }], failure), 'p', (e) =>
        seen.push(e),
      ),
    );
    expect(events).toEqual([
      { type: 'message-start', id: 'x', model: 'm' },
      { type: 'error', error: failure },
    ]);
    expect(seen).toEqual([failure]);
  });

  test('a stream that stops without finish or error gets an error event', async () => {
    const events = await readAll(
      guardEvents(streamOf([{ type: 'message-start', id: 'x', model: 'm' }]), 'p'),
    );
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { type: 'bad_upstream', provider: 'p' } });
  });
});
