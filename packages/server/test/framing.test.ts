import { describe, expect, test } from 'vitest';
import { formatNdjsonEvent } from '../src/framing/ndjson-encoder.ts';
import { formatSseEvent, SSE_HEADERS, SSE_HEARTBEAT } from '../src/framing/sse-encoder.ts';

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
