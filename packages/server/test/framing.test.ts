import { describe, expect, test } from 'vitest';
import { JSON_ARRAY_FRAMING, NDJSON_FRAMING, SSE_DATA_FRAMING, SSE_FRAMING } from '../src/framing/framing.ts';
import { formatNdjsonEvent } from '../src/framing/ndjson-encoder.ts';
import { formatSseData, formatSseEvent, SSE_HEADERS, SSE_HEARTBEAT } from '../src/framing/sse-encoder.ts';
import { negotiateFraming } from '../src/pipeline/negotiate-framing.ts';
import { splitEvents } from '../src/resume/split-events.ts';

describe('SSE formatting', () => {
  test('named event: event, id, data, blank line', () => {
    expect(formatSseEvent({ event: 'message_start', data: '{"a":1}' }, 3)).toBe(
      'event: message_start\nid: 3\ndata: {"a":1}\n\n',
    );
  });

  test('unnamed event has no event line; sentinels are written as they are', () => {
    expect(formatSseEvent({ data: '{"x":true}' }, 1)).toBe('id: 1\ndata: {"x":true}\n\n');
    expect(formatSseEvent({ data: '[DONE]', sentinel: true }, 9)).toBe('id: 9\ndata: [DONE]\n\n');
  });

  test('a payload with newlines gets one data line per line', () => {
    expect(formatSseEvent({ data: 'a\nb\r\nc' }, 2)).toBe('id: 2\ndata: a\ndata: b\ndata: c\n\n');
  });

  test('heartbeat is a comment and the headers forbid buffering', () => {
    expect(SSE_HEARTBEAT.startsWith(':')).toBe(true);
    expect(SSE_HEARTBEAT.endsWith('\n\n')).toBe(true);
    expect(SSE_HEADERS['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(SSE_HEADERS['x-accel-buffering']).toBe('no');
    expect(SSE_HEADERS['cache-control']).toBe('no-cache');
  });
});

describe('NDJSON formatting', () => {
  test('one JSON value per line, sentinels left out', () => {
    expect(formatNdjsonEvent({ event: 'ping', data: '{"type":"ping"}' })).toBe('{"type":"ping"}\n');
    expect(formatNdjsonEvent({ data: '[DONE]', sentinel: true })).toBeUndefined();
  });

  test('a payload never spans two lines', () => {
    const line = formatNdjsonEvent({ data: '{\n"a": 1\n}' });
    expect(line).toBe('{ "a": 1 }\n');
    expect(JSON.parse(line as string)).toEqual({ a: 1 });
  });
});

describe('SSE without ids (a dialect whose clients read only data:)', () => {
  test('data lines only', () => {
    expect(formatSseData({ event: 'x', data: '{"a":1}' })).toBe('data: {"a":1}\n\n');
    expect(formatSseData({ data: 'a\nb' })).toBe('data: a\ndata: b\n\n');
  });
});

describe('JSON array framing', () => {
  const write = (events: string[]) =>
    events.map((data, i) => JSON_ARRAY_FRAMING.format({ data }, i + 1)).join('') +
    JSON_ARRAY_FRAMING.close?.(events.length);

  test('[ first, then ,\\r\\n before each next element, ] at the end: valid JSON at every length', () => {
    expect(write([])).toBe('[]');
    expect(write(['{"a":1}'])).toBe('[{"a":1}]');
    expect(write(['{"a":1}', '{"b":2}'])).toBe('[{"a":1},\r\n{"b":2}]');
    expect(JSON.parse(write(['{"a":1}', '{"b":2}', '{"c":3}']))).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
    expect(JSON_ARRAY_FRAMING.format({ data: '[DONE]', sentinel: true }, 2)).toBeUndefined();
    expect(JSON_ARRAY_FRAMING.heartbeat).toBeUndefined();
    expect(JSON_ARRAY_FRAMING.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  test('the stream log splits it into elements (each with its leading separator; the last keeps the ])', () => {
    const chunk = write(['{"a":1}', '{"b":2}', '{"c":3}']);
    expect(splitEvents(chunk, 'json-array').map((e) => new TextDecoder().decode(e))).toEqual([
      '[{"a":1}',
      ',\r\n{"b":2}',
      ',\r\n{"c":3}]',
    ]);
  });
});

describe('negotiateFraming', () => {
  const streaming = (formats: Array<'sse' | 'chunked'>) => ({ formats }) as never;

  test('the framing a URL asks for wins over Accept; SSE without ids for clients that read only data:', () => {
    const both = streaming(['sse', 'chunked']);
    expect(negotiateFraming('application/x-ndjson', both, { framing: 'json-array' })).toBe(
      JSON_ARRAY_FRAMING,
    );
    expect(negotiateFraming('application/x-ndjson', both, { framing: 'sse', eventIds: false })).toBe(
      SSE_DATA_FRAMING,
    );
    expect(negotiateFraming(null, both, { eventIds: false })).toBe(SSE_DATA_FRAMING);
    expect(negotiateFraming(null, both)).toBe(SSE_FRAMING);
    expect(negotiateFraming('application/x-ndjson', both)).toBe(NDJSON_FRAMING);
  });

  test('the JSON array counts as chunked: off with it, 406', () => {
    expect(() => negotiateFraming(null, streaming(['sse']), { framing: 'json-array' })).toThrow(/alt=sse/);
  });
});
