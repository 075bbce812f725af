/**
 * Client keys (`server.api_keys`): a client presents one as `Authorization: Bearer <key>` or `x-api-key: <key>`.
 * These keys are the proxy's own: they are checked here and never forwarded upstream.
 */
import { ProviderError } from '@tokenpak/providers';

/** The key a client presented, or undefined. */
export function presentedKey(headers: Headers): string | undefined {
  const apiKey = headers.get('x-api-key');
  if (apiKey) return apiKey.trim();
  const authorization = headers.get('authorization');
  if (!authorization) return undefined;
  const match = /^\s*bearer\s+(.+?)\s*$/i.exec(authorization);
  return match?.[1];
}

/** Compares two strings in time that depends only on their lengths, not on where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < length; i++) {
    diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  }
  return diff === 0;
}

/** True when no keys are configured, or the request presents one of them. Every key is compared. */
export function isAuthorized(headers: Headers, keys: readonly string[] | undefined): boolean {
  if (!keys || keys.length === 0) return true;
  const key = presentedKey(headers);
  if (key === undefined) return false;
  let ok = false;
  for (const candidate of keys) {
    if (constantTimeEqual(key, candidate)) ok = true;
  }
  return ok;
}

/** The proxy's own 401 (never an upstream's): `invalid_api_key` is the code OpenAI's clients know. */
export function unauthorizedError(): ProviderError {
  return new ProviderError({
    type: 'authentication',
    code: 'invalid_api_key',
    message: 'Missing or invalid API key: send Authorization: Bearer <key> or x-api-key: <key>.',
  });
}
