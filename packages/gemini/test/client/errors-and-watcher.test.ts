/** Errors as a Gemini client reads them, and the passthrough watcher over recorded Gemini bytes. */
import { ProviderError } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import {
  createGeminiPassthroughWatcher,
  encodeError,
  encodeErrorEvent,
  errorFromGemini,
  usageFromGemini,
} from '../../src/index.ts';
import { framesOf, RECORDINGS, recording } from './support.ts';

describe('encodeError', () => {
  test.each([
    ['invalid_request', 400, 'INVALID_ARGUMENT'],
    ['authentication', 401, 'UNAUTHENTICATED'],
    ['permission', 403, 'PERMISSION_DENIED'],
    ['not_found', 404, 'NOT_FOUND'],
    ['request_too_large', 413, 'INVALID_ARGUMENT'],
    ['not_acceptable', 406, 'INVALID_ARGUMENT'],
    ['rate_limit', 429, 'RESOURCE_EXHAUSTED'],
    ['overloaded', 503, 'UNAVAILABLE'],
    ['timeout', 504, 'DEADLINE_EXCEEDED'],
    ['network', 502, 'UNAVAILABLE'],
    ['bad_upstream', 502, 'INTERNAL'],
    ['api_error', 500, 'INTERNAL'],
  ] as const)('%s → %i %s', (type, code, status) => {
    const error = new ProviderError({ type, message: 'boom' });
    expect(encodeError(error)).toEqual({ status: code, body: { error: { code, message: 'boom', status } } });
  });

  test("an upstream Gemini error keeps its own RPC name; a known wait is Google's RetryInfo", () => {
    const upstream = errorFromGemini({ code: 400, message: 'no', status: 'FAILED_PRECONDITION' }, 400);
    expect(encodeError(upstream).body).toEqual({
      error: { code: 400, message: 'no', status: 'FAILED_PRECONDITION' },
    });
    const limited = new ProviderError({ type: 'rate_limit', message: 'slow down', retryAfter: 6.5 });
    expect(encodeError(limited).body).toEqual({
      error: {
        code: 429,
        message: 'slow down',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }],
      },
    });
  });

  test('in a stream: a data frame with the same object, no event name', () => {
    const event = encodeErrorEvent(new ProviderError({ type: 'overloaded', message: 'busy' }));
    expect(event).toEqual({ data: '{"error":{"code":503,"message":"busy","status":"UNAVAILABLE"}}' });
  });
});

describe('passthrough watcher', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  test.each(RECORDINGS)('%s: content, the finish, usage; modelVersion renamed to the alias', (name) => {
    const wire = recording(name);
    const last = framesOf(wire).at(-1);
    const watcher = createGeminiPassthroughWatcher({
      provider: 'google',
      includeUsage: true,
      rename: { from: last?.modelVersion ?? '', to: 'gem-alias' },
    });
    const input = bytes(wire);
    const out = watcher.inspect(input, input.byteLength);
    const report = watcher.report();
    expect(report.contentSeen).toBe(true);
    expect(report.finished).toBe(true);
    expect(report.error).toBeUndefined();
    expect(report.usage).toEqual(usageFromGemini(last?.usageMetadata));
    const text = new TextDecoder().decode(out);
    expect(text).not.toContain(`"${last?.modelVersion}"`);
    expect(framesOf(text).every((frame) => frame.modelVersion === 'gem-alias')).toBe(true);
  });

  test('a stream cut before its finishReason is not finished; an error frame is an error', () => {
    const frames = recording('text').split('\r\n\r\n');
    const cut = bytes(`${frames.slice(0, 2).join('\r\n\r\n')}\r\n\r\n`);
    const watcher = createGeminiPassthroughWatcher({ provider: 'google', includeUsage: true });
    expect(watcher.inspect(cut, cut.byteLength)).toBeUndefined();
    expect(watcher.report()).toMatchObject({ contentSeen: true, finished: false });
    expect(watcher.unfinishedError().type).toBe('network');
    const error = bytes(
      'data: {"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED"}}\r\n\r\n',
    );
    watcher.inspect(error, error.byteLength);
    expect(watcher.report().error).toMatchObject({
      type: 'rate_limit',
      message: 'quota',
      provider: 'google',
    });
  });

  test('text that quotes the markers forges nothing', () => {
    const frame = bytes(
      `data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text: '"finishReason": "STOP" and an error' }] } }] })}\n\n`,
    );
    const watcher = createGeminiPassthroughWatcher({ provider: 'google', includeUsage: true });
    watcher.inspect(frame, frame.byteLength);
    expect(watcher.report()).toMatchObject({ contentSeen: true, finished: false });
    expect(watcher.report().error).toBeUndefined();
  });
});
