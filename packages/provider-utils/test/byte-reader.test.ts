import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBytes } from '../src/http/byte-reader.ts';
import { createUpstreamClient } from '../src/http/upstream-client.ts';

/** Answers every POST with three chunks, written one after another. */
let server: Server;
let origin: string;
const CHUNKS = ['data: one\n\n', 'data: two\n\n', 'data: three\n\n'];

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let i = 0;
    const next = () => {
      if (i === CHUNKS.length) return void res.end();
      res.write(CHUNKS[i++], () => setImmediate(next));
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const client = () =>
  createUpstreamClient({
    provider: 'p',
    origin,
    connectTimeoutMs: 5000,
    firstByteTimeoutMs: 5000,
    idleTimeoutMs: 5000,
  });

const send = (c: ReturnType<typeof client>, onEnd?: (error: unknown, cancelled: boolean) => void) =>
  c.send({
    path: '/',
    headers: {},
    body: '{}',
    signal: new AbortController().signal,
    ...(onEnd && { onEnd }),
  });

describe('upstream body: read directly or as a web stream', () => {
  test('openBytes reads every byte in order, and the end is reported once', async () => {
    const c = client();
    const ends: Array<[unknown, boolean]> = [];
    const response = await send(c, (error, cancelled) => ends.push([error, cancelled]));
    const reader = openBytes(response);
    let text = '';
    for (let chunk = await reader.read(); chunk !== undefined; chunk = await reader.read()) {
      text += new TextDecoder().decode(chunk);
    }
    expect(text).toBe(CHUNKS.join(''));
    expect(await reader.read()).toBeUndefined();
    expect(ends).toEqual([[undefined, false]]);
    await c.close();
  });

  test('the web body, built on first use, gives the same bytes', async () => {
    const c = client();
    const response = await send(c);
    expect(await new Response(response.body).text()).toBe(CHUNKS.join(''));
    await c.close();
  });

  test('cancelling reports a cancelled end once and the reader then ends', async () => {
    const c = client();
    const ends: Array<[unknown, boolean]> = [];
    const response = await send(c, (error, cancelled) => ends.push([error, cancelled]));
    const reader = openBytes(response);
    expect(await reader.read()).toBeInstanceOf(Uint8Array);
    await reader.cancel('bye');
    await reader.cancel('again');
    expect(await reader.read()).toBeUndefined();
    expect(ends).toEqual([[undefined, true]]);
    await c.close();
  });
});
