import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { type ProxyProcess, startProxyProcess } from './proxy-process.ts';
import { runCli, workdir } from './run-cli.ts';

/** A working directory with no config.yaml: the proxy falls back to the embedded default. */
const emptyDir = () => mkdtempSync(join(tmpdir(), 'tokenpak-cli-'));

const running: ProxyProcess[] = [];
afterEach(() => {
  for (const proxy of running.splice(0)) proxy.child.kill('SIGKILL');
});

async function start(args: string[], cwd: string, env?: Record<string, string>) {
  const proxy = await startProxyProcess(args, { cwd, env });
  running.push(proxy);
  return proxy;
}

/** The recipe's Step 3 / Step 6 request, sent as curl sends `-d` without a content type. */
function recipeRequest(url: string, model: string, stream: boolean) {
  return fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: JSON.stringify({
      model,
      stream,
      messages: [{ role: 'user', content: 'Write a haiku about API proxies' }],
    }),
  });
}

function sseEvents(text: string): Array<{ event: string; data: any }> {
  return text
    .split('\n\n')
    .filter((block) => block.includes('data: '))
    .map((block) => ({
      event: /^event: (.*)$/m.exec(block)?.[1] ?? '',
      data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!),
    }));
}

describe('tokenpak proxy (real process)', () => {
  test('with no config it serves the embedded default, and says so; the recipe curl streams Anthropic events', async () => {
    const proxy = await start(['--port', '0'], emptyDir(), {});
    expect(proxy.output()).toContain('using the embedded default');
    expect(proxy.output()).toContain('OPENAI_API_KEY is not set');
    expect(proxy.output()).toContain('curl -X POST');

    const response = await recipeRequest(proxy.url, 'gpt-4-streaming', true);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = sseEvents(await response.text());
    expect(events[0]?.event).toBe('message_start');
    expect(events.at(-1)?.event).toBe('message_stop');
    const text = events
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => e.data.delta.text)
      .join('');
    expect(text.length).toBeGreaterThan(10);

    const plain = await recipeRequest(proxy.url, 'gpt-4', false);
    const message = await plain.json();
    expect(message.type).toBe('message');
    expect(message.content[0].text.length).toBeGreaterThan(10);
  });

  test('an invalid config is reported like validate-config and nothing is served (exit 1)', async () => {
    const dir = workdir('models:\n  gpt-4: { provider: opnai }\n');
    const run = await runCli(['proxy', '--config', 'config.yaml', '--port', '0'], { cwd: dir, env: {} });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✖ Config invalid');
    expect(run.stdout).toContain("no provider named 'opnai'");
    expect(run.stdout).not.toContain('listening');
  });

  test("a provider package's options are checked before serving, built-in ones too (line:col, exit 1)", async () => {
    const dir = workdir(
      'providers:\n  g:\n    type: gemini\n    api_key: ${GEMINI_API_KEY}\n    api_vresion: v1\n' +
        'models:\n  flash: { provider: g, model: gemini-2.5-flash }\n',
    );
    const env = { GEMINI_API_KEY: 'k' };
    const proxy = await runCli(['proxy', '--config', 'config.yaml', '--port', '0'], { cwd: dir, env });
    const check = await runCli(['validate-config', 'config.yaml'], { cwd: dir, env });
    for (const run of [proxy, check]) {
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('✖ Config invalid');
      expect(run.stdout).toMatch(
        /config\.yaml:5:\d+: providers\.g\.api_vresion: is not an option of type gemini \(did you mean 'api_version'\?\)/,
      );
    }
    expect(proxy.stdout).not.toContain('listening');
  });

  test('type openai: what validate-config refuses, the proxy refuses before serving (line:col, exit 1)', async () => {
    const dir = workdir(
      'providers:\n  openai:\n    type: openai\n    api_key: ${OPENAI_API_KEY}\n    api: respones\n' +
        '    timout_ms: 500\nmodels:\n  gpt-4: { provider: openai }\n',
    );
    const env = { OPENAI_API_KEY: 'k' };
    const proxy = await runCli(['proxy', '--config', 'config.yaml', '--port', '0'], { cwd: dir, env });
    const check = await runCli(['validate-config', 'config.yaml'], { cwd: dir, env });
    for (const run of [proxy, check]) {
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('✖ Config invalid');
      expect(run.stdout).toContain(`config.yaml:5:10: providers.openai.api: must be 'chat' or 'responses'`);
      expect(run.stdout).toContain(
        "config.yaml:6:5: providers.openai.timout_ms: is not an option of type openai (did you mean 'timeout_ms'?)",
      );
    }
    expect(proxy.stdout).not.toContain('listening');
  });

  test('a provider package that cannot be loaded: one clear line, no stack trace (exit 1)', async () => {
    const dir = workdir(
      'providers:\n  x: { type: custom, package: ./missing-provider.mjs }\nmodels:\n  a: { provider: x }\n',
    );
    const run = await runCli(['proxy', '--config', 'config.yaml', '--port', '0'], { cwd: dir, env: {} });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/config\.yaml:2:\d+: providers\.x\.package: could not load provider package/);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/\n\s+at /);
    expect(run.stdout).not.toContain('listening');
  });

  test('an unreadable --config exits 2', async () => {
    const run = await runCli(['proxy', '--config', 'missing.yaml'], { cwd: emptyDir(), env: {} });
    expect(run.code).toBe(2);
  });

  test('a port already in use is a clear error, not a silent move to another port', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = await runCli(['proxy', '--port', String(port)], { cwd: emptyDir(), env: {} });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`Port ${port}`);
      expect(run.stderr).toContain('already in use');
    } finally {
      blocker.close();
    }
  });

  test('a --host that is not this machine, or no host at all, is one clear line naming the flag (exit 1)', async () => {
    for (const [host, says] of [
      ['192.0.2.1', 'is not an address of this machine'],
      ['256.1.1.1', 'this machine can resolve'],
    ] as const) {
      const run = await runCli(['proxy', '--host', host, '--port', '0'], { cwd: emptyDir(), env: {} });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`✖ ${host} `);
      expect(run.stderr).toContain(says);
      expect(run.stderr).toContain('(--host)');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  test('SIGTERM lets an open stream finish cleanly, then the process exits 0', async () => {
    const yaml = [
      'server: { shutdown_grace_ms: 10000 }',
      'providers:',
      '  slow: { type: mock, tokens_per_second: 40 }',
      'models:',
      '  slow: { provider: slow }',
      '',
    ].join('\n');
    const proxy = await start(['--port', '0'], workdir(yaml), {});
    const response = await recipeRequest(proxy.url, 'slow', true);
    const reader = response.body!.getReader();
    await reader.read(); // the stream is open and flowing
    proxy.child.kill('SIGTERM');
    let rest = '';
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += decoder.decode(value, { stream: true });
    }
    expect(rest).toContain('event: message_stop');
    expect(await proxy.exited).toBe(0);
    expect(proxy.output()).toContain('Stopped.');
  });

  test('tokenpak measure prints total time and time to first token side by side', async () => {
    const proxy = await start(['--port', '0'], emptyDir(), {});
    const run = await runCli(['measure', '--url', proxy.url, '--model', 'gpt-4-streaming'], {
      cwd: emptyDir(),
      env: {},
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/non-streaming\s+\d+(\.\d+)? m?s\s+\d+(\.\d+)? m?s\s+\d+/);
    expect(run.stdout).toMatch(/\nstreaming\s+\d+(\.\d+)? m?s\s+\d+(\.\d+)? m?s\s+\d+/);
  });

  test('tokenpak measure against nothing says it cannot reach the proxy (exit 1)', async () => {
    const run = await runCli(['measure', '--url', 'http://127.0.0.1:9', '--model', 'x'], {
      cwd: emptyDir(),
      env: {},
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot reach http://127.0.0.1:9');
  });
});
