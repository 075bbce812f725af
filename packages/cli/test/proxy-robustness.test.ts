/** Clients that misbehave on the wire must not take a real `tokenpak proxy` process down. */
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, expect, test } from 'vitest';
import { type ProxyProcess, startProxyProcess } from './proxy-process.ts';
import { workdir } from './run-cli.ts';

const dir = workdir(
  'server: { max_body_bytes: 2048 }\nproviders:\n  mock: { type: mock }\nmodels:\n  m: { provider: mock }\n',
);
let proxy: ProxyProcess | undefined;
afterAll(() => {
  proxy?.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Streams part of a chunked body, and hangs up as soon as the answer is in (or after `hangUpMs` without one). */
function partialUpload(url: string, text: string, hangUpMs?: number): Promise<number | 'reset'> {
  return new Promise((resolve) => {
    const target = new URL(`${url}/v1/messages`);
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST' },
      (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
      },
    );
    req.on('error', () => resolve('reset'));
    req.write(text);
    if (hangUpMs !== undefined) setTimeout(() => req.destroy(), hangUpMs);
  });
}

test('a chunked body over max_body_bytes, or an upload cut off half way: the proxy answers and keeps serving', async () => {
  proxy = await startProxyProcess(['--port', '0'], { cwd: dir, env: {} });
  for (let i = 0; i < 3; i++) {
    expect(await partialUpload(proxy.url, `{"model": "m", "pad": "${'x'.repeat(3000)}`)).toBe(413);
    expect(await partialUpload(proxy.url, '{"model": "m", "pad": "', 100)).toBe('reset');
  }
  const health = await fetch(`${proxy.url}/health`);
  expect(health.status).toBe(200);
  expect(proxy.child.exitCode).toBeNull();
  expect(proxy.output()).not.toContain('TypeError');
});
