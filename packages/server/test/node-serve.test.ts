/** serve(): a real listener, a clear error when the port is taken, and a graceful close. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createGateway, type Gateway } from '../src/gateway.ts';
import { DEFAULT_BACKLOG, PortInUseError, serve } from '../src/node.ts';
import { configFrom, recipeConfig } from './helpers/config.ts';
import { type FakeUpstream, startFakeUpstream } from './helpers/fake-upstream.ts';
import { anthropicText, openaiText, parseSseText } from './helpers/sse.ts';

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());

function hasSs(): boolean {
  try {
    execFileSync('ss', ['-V'], { stdio: 'ignore' });
    return readFileSync('/proc/sys/net/core/somaxconn', 'utf8') !== '';
  } catch {
    return false;
  }
}

/** A loopback listener's accept queue length, as `ss -ltn` reports it (Send-Q of a LISTEN socket). */
function acceptQueueOf(port: number): number {
  const line = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' }).trim();
  return Number(line.split(/\s+/)[2]);
}

const mockConfig = () =>
  configFrom(`
providers:
  mock: { type: mock, responses: { m: "one two three" } }
models:
  m: { provider: mock }
`);

describe('serve', () => {
  test('a translated stream written by the Node listener (as text) reads the same as through app.fetch', async () => {
    const answer = 'héllo "wörld" \\ 世界 🎉 done';
    const gateway = await createGateway(
      configFrom(`
providers:
  mock: { type: mock, responses: { m: ${JSON.stringify(answer)} } }
models:
  m: { provider: mock }
`),
      { logger: () => {} },
    );
    const server = await serve(gateway, { host: '127.0.0.1', port: 0 });
    const init = (path: string, body: object) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }], ...body }),
      path,
    });
    const cases = [
      { req: init('/v1/chat/completions', {}), text: openaiText },
      { req: init('/v1/messages', { max_tokens: 50 }), text: anthropicText },
    ];
    try {
      for (const { req, text } of cases) {
        const overHttp = await (await fetch(`${server.url}${req.path}`, req)).text();
        const inProcess = await (await gateway.app.fetch(new Request(`http://x${req.path}`, req))).text();
        expect(text(parseSseText(overHttp).events)).toBe(answer);
        expect(text(parseSseText(inProcess).events)).toBe(answer);
        expect(parseSseText(overHttp).events.map((e) => e.event)).toEqual(
          parseSseText(inProcess).events.map((e) => e.event),
        );
      }
    } finally {
      await server.close(0);
      await gateway.close(0);
    }
  });

  test('serves on the asked port and answers', async () => {
    const gateway = await createGateway(mockConfig(), { logger: () => {} });
    const server = await serve(gateway, { host: '127.0.0.1', port: 0 });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${server.url}/health`);
      expect(res.status).toBe(200);
      expect((await res.json()).providers.mock.type).toBe('mock');
    } finally {
      await server.close(0);
      await gateway.close(0);
    }
  });

  test('port 0 gives each server its own free port', async () => {
    const gateway = await createGateway(mockConfig(), { logger: () => {} });
    const a = await serve(gateway, { host: '127.0.0.1', port: 0 });
    const b = await serve(gateway, { host: '127.0.0.1', port: 0 });
    try {
      expect(a.port).not.toBe(b.port);
      expect((await fetch(`${b.url}/health`)).status).toBe(200);
    } finally {
      await a.close(0);
      await b.close(0);
      await gateway.close(0);
    }
  });

  // The accept queue is what a burst of new connections waits in; `ss` shows a listener's as its Send-Q.
  test.skipIf(!hasSs())(
    'listens with an accept queue of 4096 (Node would give 511), or the backlog asked for',
    async () => {
      const gateway = await createGateway(mockConfig(), { logger: () => {} });
      const deep = await serve(gateway, { host: '127.0.0.1', port: 0 });
      const shallow = await serve(gateway, { host: '127.0.0.1', port: 0, backlog: 64 });
      try {
        const cap = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
        expect(acceptQueueOf(deep.port)).toBe(Math.min(DEFAULT_BACKLOG, cap));
        expect(DEFAULT_BACKLOG).toBe(4096);
        expect(acceptQueueOf(shallow.port)).toBe(64);
      } finally {
        await deep.close(0);
        await shallow.close(0);
        await gateway.close(0);
      }
    },
  );

  test('a port that is taken is a clear error, not another port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    const gateway = await createGateway(mockConfig(), { logger: () => {} });
    try {
      const error = await serve(gateway, { host: '127.0.0.1', port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toContain(String(port));
    } finally {
      blocker.close();
      await gateway.close(0);
    }
  });

  test('close(grace): open streams get the dialect error event and a clean end; new requests are refused', async () => {
    const gateway: Gateway = await createGateway(
      recipeConfig(upstream.url, '  hang: { provider: anthropic, model: "hang:anthropic/text.sse" }'),
      { logger: () => {} },
    );
    const server = await serve(gateway, { host: '127.0.0.1', port: 0 });
    const res = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      body: JSON.stringify({
        model: 'hang',
        stream: true,
        max_tokens: 5,
        messages: [{ role: 'user', content: 'x' }],
      }),
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value, { stream: true });
    expect(gateway.limiter.active).toBe(1);
    const closing = server.close(20);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    await closing;
    const { events } = parseSseText(text);
    expect(events[0]?.event).toBe('message_start');
    expect(events.at(-1)?.event).toBe('error');
    expect(JSON.parse(events.at(-1)!.data).error.message).toContain('shutting down');
    expect(gateway.limiter.active).toBe(0);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    await gateway.close(0);
  });

  // The Node listener writes with res.write and waits for 'drain': a client that stops reading must hold the
  // upstream back (not make the proxy buffer the answer), and get every byte once it reads again.
  test.each([
    ['the same dialect (bytes forwarded)', '/v1/chat/completions'],
    ['another dialect (events translated)', '/v1/messages'],
  ])(
    'a client that stops reading holds the upstream back through the proxy, then gets the whole stream: %s',
    async (_, path) => {
      const CHUNKS = 200_000; // ~20 MB: more than every socket buffer on the way can hold
      let written = 0;
      let upstreamDone = false;
      const big = createServer((req, res) => {
        req.resume();
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const line = (i: number) =>
          `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"big","choices":[{"index":0,"delta":{"content":"${i % 10}"},"finish_reason":null}]}\n\n`;
        const pump = (): void => {
          while (written < CHUNKS) {
            if (!res.write(line(written++))) {
              res.once('drain', pump);
              return;
            }
          }
          res.end(
            'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"big","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
            () => {
              upstreamDone = true;
            },
          );
        };
        pump();
      });
      await new Promise<void>((resolve) => big.listen(0, '127.0.0.1', resolve));
      const bigUrl = `http://127.0.0.1:${(big.address() as AddressInfo).port}`;
      const gateway = await createGateway(
        configFrom(`
providers:
  up: { type: openai, api_key: k, base_url: "${bigUrl}/v1" }
models:
  big: { provider: up, model: big }
`),
        { logger: () => {} },
      );
      const server = await serve(gateway, { host: '127.0.0.1', port: 0 });
      try {
        const { port } = new URL(server.url);
        const text = await new Promise<string>((resolve, reject) => {
          const req = httpRequest(
            {
              host: '127.0.0.1',
              port,
              path,
              method: 'POST',
              headers: { 'content-type': 'application/json' },
            },
            (res) => {
              res.pause();
              void (async () => {
                // Not reading: with backpressure the upstream soon stops, blocked, far from its end (without it,
                // the proxy would read on into memory and the upstream would run to its end).
                for (let prev = -1, waited = 0; written !== prev && waited < 10_000; waited += 300) {
                  prev = written;
                  await new Promise((r) => setTimeout(r, 300));
                }
                expect(upstreamDone).toBe(false);
                expect(written).toBeLessThan(CHUNKS);
                const parts: Buffer[] = [];
                res.on('data', (part: Buffer) => parts.push(part));
                res.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
                res.resume();
              })().catch((error: unknown) => {
                res.destroy();
                reject(error);
              });
            },
          );
          req.on('error', reject);
          req.end(
            JSON.stringify({
              model: 'big',
              stream: true,
              max_tokens: 10,
              messages: [{ role: 'user', content: 'x' }],
            }),
          );
        });
        expect(upstreamDone).toBe(true);
        // Every token, in order, whichever dialect carried it.
        const { events } = parseSseText(text);
        const said = path === '/v1/messages' ? anthropicText(events) : openaiText(events);
        expect(said).toBe(Array.from({ length: CHUNKS }, (_, i) => i % 10).join(''));
        expect(events.at(-1)?.data ?? events.at(-1)?.event).toMatch(/\[DONE\]|message_stop/);
        expect(gateway.limiter.active).toBe(0);
      } finally {
        await server.close(0);
        await gateway.close(0);
        big.closeAllConnections();
        await new Promise<void>((resolve) => big.close(() => resolve()));
      }
    },
  );

  test('a client that hangs up mid-stream on the Node listener: the upstream call is closed and the slot freed', async () => {
    const gateway = await createGateway(
      recipeConfig(
        upstream.url,
        `  an-hang: { provider: anthropic, model: "hang:anthropic/text.sse" }
  oa-hang: { provider: openai, model: "hang:openai/chat-text-include-usage.sse" }`,
      ),
      { logger: () => {} },
    );
    const server = await serve(gateway, { host: '127.0.0.1', port: 0 });
    try {
      for (const [path, model] of [
        ['/v1/messages', 'an-hang'],
        ['/v1/chat/completions', 'oa-hang'],
        ['/v1/messages', 'oa-hang'],
      ] as const) {
        const closedBefore = upstream.closedResponses;
        const controller = new AbortController();
        const res = await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model,
            stream: true,
            max_tokens: 5,
            messages: [{ role: 'user', content: 'x' }],
          }),
          signal: controller.signal,
        });
        expect(res.status).toBe(200);
        await res.body!.getReader().read();
        expect(gateway.limiter.active).toBe(1);
        controller.abort();
        await upstream.waitForClosedResponses(closedBefore + 1);
        await expect.poll(() => gateway.limiter.active).toBe(0);
      }
    } finally {
      await server.close(0);
      await gateway.close(0);
    }
  });

  test('close(grace) lets a stream that finishes in time end normally', async () => {
    const gateway = await createGateway(mockConfig(), { logger: () => {} });
    const server = await serve(gateway, { host: '127.0.0.1', port: 0 });
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] }),
    });
    const closing = server.close(10_000);
    const text = await res.text();
    await closing;
    const { events } = parseSseText(text);
    expect(events.at(-1)?.data).toBe('[DONE]');
    await gateway.close(0);
  });
});
