import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ProxyProcess, startProxyProcess } from './proxy-process.ts';
import { runCli, workdir } from './run-cli.ts';

/** A real `tokenpak proxy` with server.api_keys, on a fast mock provider. */
const CONFIG = [
  'server: { api_keys: [client-key-1] }',
  'providers:',
  '  mock: { type: mock, latency_ms: 1, tokens_per_second: 2000 }',
  'models:',
  '  m: { provider: mock }',
  '',
].join('\n');

const REQUIRED = '✖ the proxy requires an API key: pass --api-key or set TOKENPAK_API_KEY\n';
const REFUSED =
  '✖ the proxy did not accept the API key (401): check --api-key or TOKENPAK_API_KEY against server.api_keys\n';

let proxy: ProxyProcess;

beforeAll(async () => {
  proxy = await startProxyProcess(['--port', '0'], { cwd: workdir(CONFIG), env: {} });
});

afterAll(() => {
  proxy?.child.kill('SIGKILL');
});

describe('tokenpak measure against a proxy with server.api_keys (real processes)', () => {
  test('no key and no --model: says a key is needed (the 401 from /v1/models is not "no models"), exit 1', async () => {
    const run = await runCli(['measure', '--url', proxy.url], { env: {} });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(REQUIRED);
    expect(run.stdout).toBe('');
  });

  test('no key with --model: the 401 on the timed request says the same', async () => {
    const run = await runCli(['measure', '--url', proxy.url, '--model', 'm'], { env: {} });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(REQUIRED);
    expect(run.stdout).toBe(`Measuring m at ${proxy.url}\n\n`);
  });

  test('a wrong key: says it was not accepted, and never prints the key', async () => {
    for (const args of [[], ['--model', 'm']]) {
      const run = await runCli(['measure', '--url', proxy.url, '--api-key', 'wrong-key-9', ...args], {
        env: {},
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(REFUSED);
      expect(run.stdout + run.stderr).not.toContain('wrong-key-9');
    }
  });

  test('the right key from --api-key or TOKENPAK_API_KEY: both rows are measured, exit 0', async () => {
    const viaFlag = await runCli(['measure', '--url', proxy.url, '--api-key', 'client-key-1'], { env: {} });
    const viaEnv = await runCli(['measure', '--url', proxy.url], {
      env: { TOKENPAK_API_KEY: 'client-key-1' },
    });
    for (const run of [viaFlag, viaEnv]) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Measuring m at ${proxy.url}`);
      expect(run.stdout).toMatch(/\nnon-streaming\s+\d/);
      expect(run.stdout).toMatch(/\nstreaming\s+\d/);
    }
  });
});
