import { describe, expect, test } from 'vitest';
import { constantTimeEqual, isAuthorized, presentedKey } from '../src/auth/client-keys.ts';
import { requestIdFor } from '../src/http/request-id.ts';

describe('client keys', () => {
  test('reads Bearer and x-api-key', () => {
    expect(presentedKey(new Headers({ authorization: 'Bearer  abc ' }))).toBe('abc');
    expect(presentedKey(new Headers({ authorization: 'bearer xyz' }))).toBe('xyz');
    expect(presentedKey(new Headers({ 'x-api-key': 'k1' }))).toBe('k1');
    expect(presentedKey(new Headers({ authorization: 'Basic Zm9v' }))).toBeUndefined();
    expect(presentedKey(new Headers())).toBeUndefined();
  });

  test("reads Gemini's x-goog-api-key and ?key= (the query only when no header holds a key)", () => {
    expect(presentedKey(new Headers({ 'x-goog-api-key': 'g1' }))).toBe('g1');
    expect(presentedKey(new Headers(), 'http://x/v1beta/models/m:generateContent?alt=sse&key=g2')).toBe('g2');
    expect(presentedKey(new Headers({ 'x-api-key': 'h' }), 'http://x/p?key=q')).toBe('h');
    expect(presentedKey(new Headers(), 'http://x/p?monkey=q')).toBeUndefined();
    expect(presentedKey(new Headers(), 'http://x/p?key=')).toBeUndefined();
    expect(isAuthorized(new Headers(), ['g2'], 'http://x/p?key=g2')).toBe(true);
  });

  test('compares exactly', () => {
    expect(constantTimeEqual('secret', 'secret')).toBe(true);
    expect(constantTimeEqual('secret', 'secreT')).toBe(false);
    expect(constantTimeEqual('secret', 'secret2')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });

  test('no configured keys: open; configured: one must match', () => {
    expect(isAuthorized(new Headers(), undefined)).toBe(true);
    expect(isAuthorized(new Headers(), [])).toBe(true);
    expect(isAuthorized(new Headers(), ['k1'])).toBe(false);
    expect(isAuthorized(new Headers({ 'x-api-key': 'k2' }), ['k1', 'k2'])).toBe(true);
    expect(isAuthorized(new Headers({ authorization: 'Bearer k3' }), ['k1', 'k2'])).toBe(false);
  });
});

describe('request ids', () => {
  test('keeps a sane client id, mints otherwise', () => {
    expect(requestIdFor(new Headers({ 'x-request-id': 'abc-123.x:y_z' }))).toBe('abc-123.x:y_z');
    const minted = requestIdFor(new Headers({ 'x-request-id': 'bad id with spaces' }));
    expect(minted).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFor(new Headers({ 'x-request-id': 'x'.repeat(129) }))).not.toBe('x'.repeat(129));
    expect(requestIdFor(new Headers())).not.toBe(requestIdFor(new Headers()));
  });
});
