/** serve(): every status line carries the standard reason phrase (srvx alone sends `HTTP/1.1 200 `). */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createGateway, type Gateway } from '../src/gateway.ts';
import { type Server, serve } from '../src/node.ts';
import { configFrom } from './helpers/config.ts';
import { rawRequest } from './helpers/raw-http.ts';

let gateway: Gateway;
let server: Server;
beforeAll(async () => {
  const config = configFrom(`
server: { api_keys: [client-key-1] }
providers:
  mock: { type: mock, responses: { m: "one two three" } }
models:
  m: { provider: mock }
`);
  gateway = await createGateway(config, { logger: () => {} });
  server = await serve(gateway, { host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server.close(0);
  await gateway.close(0);
});

const auth = { authorization: 'Bearer client-key-1', 'content-type': 'application/json' };

describe('reason phrase on the status line', () => {
  test('200 OK on GET /health', async () => {
    const res = await rawRequest(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(res.statusMessage).toBe('OK');
  });

  test('404 Not Found on an unknown path', async () => {
    const res = await rawRequest(`${server.url}/nowhere`);
    expect(res.status).toBe(404);
    expect(res.statusMessage).toBe('Not Found');
  });

  test('401 Unauthorized without a client key', async () => {
    const res = await rawRequest(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(401);
    expect(res.statusMessage).toBe('Unauthorized');
  });

  test('200 OK on a streamed answer, which still arrives whole', async () => {
    const res = await rawRequest(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.statusMessage).toBe('OK');
    expect(res.headers['content-type']).toContain('text/event-stream');
    expect(res.body.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  test('400 Bad Request on a body that is not JSON', async () => {
    const res = await rawRequest(`${server.url}/v1/messages`, { method: 'POST', headers: auth, body: '{' });
    expect(res.status).toBe(400);
    expect(res.statusMessage).toBe('Bad Request');
  });
});
