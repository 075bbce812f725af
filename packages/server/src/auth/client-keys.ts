/**
 * Client keys (`server.api_keys`): a client presents one as `Authorization: Bearer <key>`, `x-api-key: <key>`
 * (Anthropic's SDK), `x-goog-api-key: <key>` or `?key=<key>` (Gemini's SDK and REST examples). These keys are
 * the proxy's own: they are checked here and never forwarded upstream (nor logged: the log has no query).
 */
import { ProviderError } from '@tokenpak/providers';

/** The key a client presented, or undefined. `url`: the request's, for a key in the query (`?key=`). */
export function presentedKey(headers: Headers, url?: string): string | undefined {
  const apiKey = headers.get('x-api-key') ?? headers.get('x-goog-api-key');
  if (apiKey) return apiKey.trim();
  const authorization = headers.get('authorization');
  if (authorization) {
    const match = /^\s*bearer\s+(.+?)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  return url === undefined ? undefined : keyInQuery(url);
}

function keyInQuery(url: string): string | undefined {
  const query = url.indexOf('?');
  if (query === -1 || !url.includes('key=', query)) return undefined;
  return new URLSearchParams(url.slice(query + 1)).get('key') || undefined;
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
export function isAuthorized(headers: Headers, keys: readonly string[] | undefined, url?: string): boolean {
  if (!keys || keys.length === 0) return true;
  const key = presentedKey(headers, url);
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
    message:
      'Missing or invalid API key: send Authorization: Bearer <key>, x-api-key: <key> or x-goog-api-key: <key>.',
  });
}
