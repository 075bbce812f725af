import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  backoffDelay,
  classifyEvent,
  NdjsonParser,
  retryAfterMs,
  SseParser,
  type StreamEvent,
  textDelta,
  tokenpakStream,
} from '../src/index.ts';

function sse(chunks: string[]): { events: StreamEvent[]; parser: SseParser } {
  const parser = new SseParser();
  const events = chunks.flatMap((chunk) => parser.push(chunk));
  return { events, parser };
}

const SAMPLE = [
  ': ping',
  'event: message_start',
  'id: 1',
  'data: {"type":"message_start"}',
  '',
  ': ping',
  '',
  'id: 2',
  'data:{"a":1}',
  '',
  'event: multi',
  'id: 3',
  'data: line one',
  'data',
  'data:  two spaces',
  'retry: 1000',
  'unknown: field',
  '',
  'data: [DONE]',
  '',
  '',
];

const EXPECTED: StreamEvent[] = [
  { id: 1, event: 'message_start', data: '{"type":"message_start"}', json: { type: 'message_start' } },
  { id: 2, data: '{"a":1}', json: { a: 1 } },
  { id: 3, event: 'multi', data: 'line one\n\n two spaces' },
  { data: '[DONE]' },
];

describe('SseParser', () => {
  test.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('%s line endings, split at every position and byte by byte', (_, eol) => {
    const text = SAMPLE.join(eol);
    expect(sse([text]).events).toEqual(EXPECTED);
    for (let i = 0; i <= text.length; i++) {
      expect(sse([text.slice(0, i), text.slice(i)]).events, `split at ${i}`).toEqual(EXPECTED);
    }
    expect(sse([...text]).events).toEqual(EXPECTED);
    expect(sse([text]).parser.lastEventId).toBe('3');
  });

  test('mixed line endings, and a CRLF split between chunks is one line end', () => {
    const { events } = sse(['data: a\r', '\ndata: b\n\r', '\n', 'data: c\r\r']);
    expect(events.map((e) => e.data)).toEqual(['a\nb', 'c']);
  });

  test('comments and heartbeats only: no event', () => {
    expect(sse([': ping\n\n: ping\r\n\r\n:\n\n']).events).toEqual([]);
  });

  test('an event cut by the end of the input is not dispatched, and reset() forgets it', () => {
    const parser = new SseParser();
    expect(parser.push('id: 1\ndata: one\n\nid: 2\ndata: tw')).toEqual([{ id: 1, data: 'one' }]);
    expect(parser.lastEventId).toBe('1');
    parser.reset();
    expect(parser.lastEventId).toBe('1');
    expect(parser.push('id: 2\ndata: two\n\n')).toEqual([{ id: 2, data: 'two' }]);
    expect(parser.lastEventId).toBe('2');
  });

  test('the last event id carries over events without an id line; an id-only event still updates it', () => {
    const parser = new SseParser();
    expect(parser.push('id: 7\ndata: a\n\ndata: b\n\nid: 9\n\n')).toEqual([
      { id: 7, data: 'a' },
      { data: 'b' },
    ]);
    expect(parser.lastEventId).toBe('9');
  });
});

describe('NdjsonParser', () => {
  const lines = ['{"a":1}', '{"b":"x\\ny"}', '[1,2]', 'not json'];
  test('split at every position; CRLF and blank lines; counts whole lines', () => {
    const text = lines[0] + '\r\n\n' + lines.slice(1).join('\n') + '\n';
    for (let i = 0; i <= text.length; i++) {
      const parser = new NdjsonParser();
      const events = [...parser.push(text.slice(0, i)), ...parser.push(text.slice(i))];
      expect(events.map((e) => e.data)).toEqual(lines);
      expect(events[1]!.json).toEqual({ b: 'x\ny' });
      expect(events[3]!.json).toBeUndefined();
      expect(parser.count).toBe(4);
    }
  });

  test('flush(): a last whole JSON line without newline counts, a cut one does not', () => {
    const parser = new NdjsonParser(10);
    parser.push('{"a":1}\n{"b":2}');
    expect(parser.flush().map((e) => e.data)).toEqual(['{"b":2}']);
    expect(parser.count).toBe(12);
    parser.push('{"c":');
    expect(parser.flush()).toEqual([]);
    expect(parser.count).toBe(12);
  });
});

describe('classifyEvent and textDelta', () => {
  const ev = (data: unknown, event?: string): StreamEvent => {
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    return { data: text, json: typeof data === 'string' ? undefined : data, ...(event ? { event } : {}) };
  };
  test.each([
    [ev('[DONE]'), 'end'],
    [ev({ type: 'message_stop' }, 'message_stop'), 'end'],
    [ev({ type: 'response.completed', response: { error: null } }), 'end'],
    [ev({ type: 'response.incomplete' }), 'end'],
    [ev({ type: 'response.failed', response: { error: { message: 'x' } } }), 'error'],
    [ev({ type: 'error', error: { type: 'overloaded_error' } }, 'error'), 'error'],
    [ev({ type: 'error', code: 'server_error', message: 'x' }), 'error'],
    [ev({ error: { message: 'x' } }), 'error'],
    [ev('not json', 'error'), 'error'],
    [ev({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }), 'soft-end'],
    [ev({ choices: [{ index: 0, delta: { content: 'a' }, finish_reason: null }] }), undefined],
    [ev({ type: 'message_delta', delta: { stop_reason: 'end_turn' } }), undefined],
    [ev({ type: 'ping' }, 'ping'), undefined],
    [ev({ error: null, choices: [] }), undefined],
  ])('%j → %s', (event, expected) => {
    expect(classifyEvent(event)).toBe(expected);
  });

  test('text deltas of the three dialects, and nothing else', () => {
    expect(textDelta(ev({ choices: [{ index: 0, delta: { content: 'a' } }] }))).toBe('a');
    expect(textDelta(ev({ choices: [{ index: 1, delta: { content: 'b' } }] }))).toBeUndefined();
    expect(
      textDelta(
        ev({
          choices: [
            { index: 1, delta: { content: 'b' } },
            { index: 0, delta: { content: 'c' } },
          ],
        }),
      ),
    ).toBe('c');
    expect(textDelta(ev({ type: 'content_block_delta', delta: { type: 'text_delta', text: 'd' } }))).toBe(
      'd',
    );
    expect(
      textDelta(ev({ type: 'content_block_delta', delta: { type: 'input_json_delta', partial_json: '{' } })),
    ).toBeUndefined();
    expect(textDelta(ev({ type: 'response.output_text.delta', delta: 'e' }))).toBe('e');
    expect(textDelta(ev({ type: 'response.reasoning_summary_text.delta', delta: 'f' }))).toBeUndefined();
    expect(textDelta(ev('[DONE]'))).toBeUndefined();
  });
});

describe('backoff', () => {
  test('full jitter under an exponential ceiling, capped', () => {
    expect(backoffDelay(1, 250, 5000, () => 0)).toBe(0);
    expect(backoffDelay(1, 250, 5000, () => 0.999)).toBe(249);
    expect(backoffDelay(3, 250, 5000, () => 0.999)).toBe(999);
    expect(backoffDelay(10, 250, 5000, () => 0.999)).toBe(4995);
    const random = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7].map((k) => backoffDelay(k, 250, 5000, random))).toEqual([
      125, 250, 500, 1000, 2000, 2500, 2500,
    ]);
  });

  test('Retry-After in seconds or as a date', () => {
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

describe('a Response source delivered byte by byte', () => {
  test('BOM, CRLF, multi-byte characters split across chunks, heartbeats', async () => {
    const text =
      '\uFEFF: ping\r\n\r\nid: 1\r\ndata: {"choices":[{"index":0,"delta":{"content":"漢🙂é"}}]}\r\n\r\nid: 2\r\ndata: [DONE]\r\n\r\n';
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    const response = new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    const stream = tokenpakStream(response);
    const deltas: string[] = [];
    for await (const delta of stream.text()) deltas.push(delta);
    expect(deltas).toEqual(['漢🙂é']);
    expect(stream.lastEventId).toBe('2');
    expect(stream.streamId).toBeUndefined();
  });

  test('a non-stream answer is refused with a hint', async () => {
    const response = new Response('{"id":"x"}', { headers: { 'content-type': 'application/json' } });
    await expect(
      (async () => {
        for await (const _ of tokenpakStream(response));
      })(),
    ).rejects.toMatchObject({ code: 'not-a-stream', message: expect.stringContaining('"stream": true') });
  });
});

test('the sources use no Node-only API (the package runs in browsers)', () => {
  const dir = new URL('../src/', import.meta.url);
  for (const file of readdirSync(dir)) {
    const source = readFileSync(new URL(file, dir), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    expect(source, file).not.toMatch(/from 'node:|require\(|\bBuffer\b|\bprocess\.|setImmediate/);
  }
});
