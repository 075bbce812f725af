/**
 * server.cors: preflights and actual responses (streamed, errors) for allowed origins, nothing for others,
 * and nothing at all when CORS is off (the default).
 */
import type { TokenPakConfig } from '@tokenpak/config';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { configFrom } from './helpers/config.ts';
import { parseSseText } from './helpers/sse.ts';
import { MODES, post, startTarget, type Target } from './helpers/targets.ts';

const config = (cors: string) =>
  configFrom(`
server: { api_keys: [client-key-1], cors: ${cors} }
providers:
  mock: { type: mock, responses: { m: "one two three" } }
models:
  m: { provider: mock }
`);

const APP = 'http://app.example.com';
const EXPOSED = 'x-request-id, request-id, x-tokenpak-warnings, retry-after';

function preflight(target: Target, path: string, origin: string, headers = 'authorization, content-type') {
  return target.fetch(target.url + path, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': headers,
    },
  });
}

function withTarget(mode: (typeof MODES)[number], make: () => TokenPakConfig): () => Target {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget(mode, make());
  });
  afterAll(() => target.close());
  return () => target;
}

describe.each(MODES)('cors: a list of origins (%s)', (mode) => {
  const target = withTarget(mode, () => config(`[${APP}]`));

  test.each(['/v1/messages', '/v1/chat/completions', '/v1/models'])(
    'preflight on %s from an allowed origin: 204 with the allow headers',
    async (path) => {
      const res = await preflight(
        target(),
        path,
        APP,
        'authorization, x-api-key, content-type, anthropic-version, anthropic-dangerous-direct-browser-access, x-stainless-os',
      );
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(res.headers.get('vary')).toContain('origin');
      expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
      expect(res.headers.get('access-control-allow-headers')).toBe(
        'authorization, x-api-key, content-type, anthropic-version, anthropic-dangerous-direct-browser-access, x-stainless-os',
      );
      expect(res.headers.get('access-control-max-age')).toBe('600');
      expect(await res.text()).toBe('');
    },
  );

  test('preflight from another origin: no CORS headers (the browser then refuses)', async () => {
    const res = await preflight(target(), '/v1/messages', 'http://evil.example.com');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.status).toBe(405);
    await res.body?.cancel();
  });

  test('a streamed POST with an allowed Origin: the stream carries allow-origin and expose-headers', async () => {
    const res = await post(
      target(),
      '/v1/chat/completions',
      { model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] },
      { origin: APP, authorization: 'Bearer client-key-1' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-expose-headers')).toBe(EXPOSED);
    expect(res.headers.get('vary')).toContain('origin');
    const { events } = parseSseText(await res.text());
    expect(events.at(-1)?.data).toBe('[DONE]');
  });

  test('errors carry them too (a 401, a 404); another origin gets none', async () => {
    const denied = await post(target(), '/v1/messages', { model: 'm' }, { origin: APP });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe(APP);
    expect(denied.headers.get('access-control-expose-headers')).toBe(EXPOSED);
    await denied.body?.cancel();
    const missing = await target().fetch(`${target().url}/nowhere`, { headers: { origin: APP } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe(APP);
    await missing.body?.cancel();
    const other = await target().fetch(`${target().url}/health`, {
      headers: { origin: 'http://evil.example.com' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    await other.body?.cancel();
  });
});

describe.each(MODES)('cors: true (%s)', (mode) => {
  const target = withTarget(mode, () => config('true'));

  test('any origin is echoed; a preflight naming no headers gets the default list', async () => {
    const res = await target().fetch(`${target().url}/v1/messages`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const allowed = res.headers.get('access-control-allow-headers') ?? '';
    for (const name of [
      'authorization',
      'x-api-key',
      'anthropic-version',
      'anthropic-beta',
      'openai-project',
      'x-stainless-*',
    ]) {
      expect(allowed).toContain(name);
    }
  });
});

describe.each(MODES)('cors: off by default (%s)', (mode) => {
  const target = withTarget(mode, () =>
    configFrom(`
providers:
  mock: { type: mock }
models:
  m: { provider: mock }
`),
  );

  test('preflight is 405 with no CORS headers; responses carry none', async () => {
    const res = await preflight(target(), '/v1/chat/completions', APP);
    expect(res.status).toBe(405);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    await res.body?.cancel();
    const get = await target().fetch(`${target().url}/v1/models`, { headers: { origin: APP } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
    expect(get.headers.get('access-control-expose-headers')).toBeNull();
    await get.body?.cancel();
  });
});
