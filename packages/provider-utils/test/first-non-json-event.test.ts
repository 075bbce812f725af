/** firstNonJsonEvent: the fast path's structural check of each event's data (values in, values out). */
import { expect, test } from 'vitest';
import { firstNonJsonEvent } from '../src/sse/sse-bytes.ts';

const check = (text: string) => {
  const bytes = new TextEncoder().encode(text);
  const bad = firstNonJsonEvent(bytes, bytes.length);
  return bad && text.slice(bad.start, bad.stop);
};

test('JSON objects, arrays, [DONE], empty data and events without data pass', () => {
  expect(check('data: {"a":1}\n\ndata: [1,2]\n\ndata: [DONE]\n\n')).toBeUndefined();
  expect(check('event: ping\ndata: {"type":"ping"}  \n\n: comment\n\ndata:\n\nid: 3\n\n')).toBeUndefined();
  expect(check('data: {"text":"a\\ndata: x"}\n\n')).toBeUndefined();
});

test('data split over lines is one event', () => {
  expect(check('data: {"a":\ndata: 1}\n\n')).toBeUndefined();
  expect(check('data: {"a":\nid: 4\ndata: 1}\n\n')).toBeUndefined();
  expect(check('data: {"a":\n\ndata: 1}\n\n')).toBe('data: {"a":\n\n');
});

test('the first event that is not JSON, whole, with any line ending', () => {
  expect(check('data: {"a":1}\n\nevent: x\ndata: {not json\n\ndata: nope\n\n')).toBe(
    'event: x\ndata: {not json\n\n',
  );
  expect(check('data: {"a":1}\r\n\r\ndata: nope\r\n\r\n')).toBe('data: nope\r\n\r\n');
  expect(check('data: {"a":1}\r\rdata: nope\r\r')).toBe('data: nope\r\r');
  expect(check('data: "text"\n\n')).toBe('data: "text"\n\n');
});
