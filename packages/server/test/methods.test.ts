/** HEAD on GET routes, and 405 with `Allow` for a wrong method on a real route, in-process and on a socket. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { configFrom } from './helpers/config.ts';
import { MODES, startTarget, type Target } from './helpers/targets.ts';

const config = () =>
  configFrom(`
providers:
  mock: { type: mock, responses: { m: "one two three" } }
models:
  m: { provider: mock }
`);

describe.each(MODES)('methods (%s)', (mode) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget(mode, config());
  });
  afterAll(() => target.close());

  test.each(['/health', '/v1/models', '/metrics'])(
    'HEAD %s: the GET status and headers, no body',
    async (path) => {
      const get = await target.fetch(target.url + path);
      const getBody = await get.text();
      const head = await target.fetch(target.url + path, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
      expect(getBody.length).toBeGreaterThan(0);
      expect(await head.text()).toBe('');
    },
  );

  test('GET /v1/chat/completions: 405, Allow: POST, OpenAI error shape', async () => {
    const res = await target.fetch(`${target.url}/v1/chat/completions`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    const body = await res.json();
    expect(body).toEqual({
      error: {
        type: 'invalid_request_error',
        message: 'Method GET is not allowed on /v1/chat/completions: use POST.',
        param: null,
        code: null,
      },
    });
  });

  test('PUT /v1/messages: 405, Allow: POST, Anthropic error shape', async () => {
    const res = await target.fetch(`${target.url}/v1/messages`, { method: 'PUT', body: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: 'Method PUT is not allowed on /v1/messages: use POST.',
      },
    });
  });

  test('POST /health: 405, Allow: GET, HEAD, plain JSON', async () => {
    const res = await target.fetch(`${target.url}/health`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect((await res.json()).error.type).toBe('invalid_request_error');
  });

  test('OPTIONS /v1/messages with CORS off: 405, no CORS headers', async () => {
    const res = await target.fetch(`${target.url}/v1/messages`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.test', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(405);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    await res.body?.cancel();
  });

  test("an unknown path under /v1/messages: 404 in Anthropic shape; elsewhere OpenAI's", async () => {
    const batches = await target.fetch(`${target.url}/v1/messages/batches`);
    expect(batches.status).toBe(404);
    const body = await batches.json();
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('not_found_error');
    expect(body.error.message).toContain('GET /v1/messages/batches');
    const other = await target.fetch(`${target.url}/v1/chat/completion`, { method: 'POST' });
    expect(other.status).toBe(404);
    const error = (await other.json()).error;
    expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(error.message).toContain('POST /v1/chat/completion.');
  });
});
