/**
 * The recipe's Steps 1-6 against a real `tokenpak proxy` process started on the recipe's config, with both
 * providers pointed (`base_url`) at a fake upstream in this process that replays recorded provider streams.
 * Step 3 and Step 6 run the real `curl` (and Step 6 through bash, with `time`, as the recipe writes them).
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DEFAULT_FIXTURE,
  type FakeUpstream,
  fixture,
  NON_STREAM_TEXT,
  type SeenRequest,
  startFakeUpstream,
} from '../../server/test/helpers/fake-upstream.ts';
import { anthropicText, fixtureText, parseSseText } from '../../server/test/helpers/sse.ts';
import { iterLines } from './iter-lines.ts';
import { type ProxyProcess, startProxyProcess } from './proxy-process.ts';
import { KEYS, RECIPE, runCli, workdir } from './run-cli.ts';

/** The recipe's config.yaml, unchanged except that each provider gets a `base_url` (the fake upstream). */
function recipeYaml(upstreamUrl: string): string {
  const yaml = readFileSync(RECIPE, 'utf8')
    .replace('    type: openai\n', `    type: openai\n    base_url: ${upstreamUrl}/v1\n`)
    .replace('    type: anthropic\n', `    type: anthropic\n    base_url: ${upstreamUrl}\n`);
  if (!yaml.includes(`base_url: ${upstreamUrl}\n`) || !yaml.includes(`base_url: ${upstreamUrl}/v1\n`)) {
    throw new Error('the recipe fixture changed shape: base_url was not inserted');
  }
  return yaml;
}

interface Exec {
  code: number | null;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: string[]): Promise<Exec> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 15_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The proxy's JSON request log lines (one per request, on its stderr). */
function requestLogs(proxy: ProxyProcess): Array<Record<string, any>> {
  return proxy
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

/** The upstream sees the provider's key and nothing the client sent as a key. */
function expectProviderAuth(seen: SeenRequest): void {
  const headers = JSON.stringify(seen.headers);
  if (seen.path === '/v1/chat/completions') {
    expect(seen.headers.authorization).toBe(`Bearer ${KEYS.OPENAI_API_KEY}`);
    expect(seen.headers['x-api-key']).toBeUndefined();
  } else {
    expect(seen.headers['x-api-key']).toBe(KEYS.ANTHROPIC_API_KEY);
    expect(seen.headers.authorization).toBeUndefined();
  }
  expect(headers).not.toContain('client-key');
}

const OPENAI_TEXT = fixtureText(fixture(DEFAULT_FIXTURE.openai), 'openai');
const ANTHROPIC_TEXT = fixtureText(fixture(DEFAULT_FIXTURE.anthropic), 'anthropic');

let upstream: FakeUpstream;
let dir: string;
let proxy: ProxyProcess;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  dir = workdir(recipeYaml(upstream.url));
});

afterAll(async () => {
  proxy?.child.kill('SIGKILL');
  await upstream?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the recipe, end to end (real tokenpak proxy process, fake upstream replaying recordings)', () => {
  test('Step 1: tokenpak validate-config config.yaml prints the three ticks', async () => {
    const run = await runCli(['validate-config', 'config.yaml'], { cwd: dir, env: KEYS });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('✓ Config valid');
    expect(lines[1]).toBe('✓ Streaming enabled (SSE + chunked)');
    expect(lines[2]).toMatch(/^✓ Streaming models available/);
    expect(run.stdout + run.stderr).not.toContain(KEYS.OPENAI_API_KEY);
  });

  test('Step 2: tokenpak proxy --config config.yaml validates, then serves the four aliases', async () => {
    proxy = await startProxyProcess(['--config', 'config.yaml', '--port', '0'], { cwd: dir, env: KEYS });
    expect(proxy.output()).toContain('✓ Config valid');
    const models = await (await fetch(`${proxy.url}/v1/models`)).json();
    expect(models.data.map((m: { id: string }) => m.id)).toEqual([
      'gpt-4',
      'gpt-4-streaming',
      'claude-opus',
      'claude-opus-streaming',
    ]);
  });

  test('Step 3: curl --no-buffer gets Anthropic SSE events carrying the upstream text', async () => {
    const before = upstream.requests.length;
    const run = await exec('curl', [
      '-X',
      'POST',
      `${proxy.url}/v1/messages`,
      '-H',
      'Content-Type: application/json',
      '-d',
      `{
    "model": "gpt-4-streaming",
    "stream": true,
    "messages": [
      {"role": "user", "content": "Write a haiku about API proxies"}
    ]
  }`,
      '--no-buffer',
    ]);
    expect(run.code).toBe(0);
    const { events } = parseSseText(run.stdout);
    expect(events[0]?.event).toBe('message_start');
    expect(events.at(-1)?.event).toBe('message_stop');
    const deltas = events.filter((e) => e.event === 'content_block_delta');
    expect(deltas.length).toBeGreaterThan(1);
    for (const e of deltas) {
      expect(JSON.parse(e.data).delta.type).toBe('text_delta');
    }
    expect(anthropicText(events)).toBe(OPENAI_TEXT);

    expect(upstream.requests.length).toBe(before + 1);
    const seen = upstream.requests[before]!;
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.body.model).toBe('gpt-4-streaming');
    expect(seen.body.stream).toBe(true);
    expect(seen.body.stream_options).toEqual({ include_usage: true });
    expect(seen.body.messages).toEqual([{ role: 'user', content: 'Write a haiku about API proxies' }]);
    expectProviderAuth(seen);
  });

  test("Step 4: read line by line (iter_lines), every data line's payload is JSON", async () => {
    const response = await fetch(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4-streaming',
        stream: true,
        messages: [{ role: 'user', content: 'Write a 2-sentence story' }],
      }),
    });
    expect(response.status).toBe(200);
    const received: string[] = [];
    for await (const line of iterLines(response.body!)) if (line) received.push(line);
    const data = received.filter((line) => line.startsWith('data: '));
    expect(data.length).toBeGreaterThan(3);
    const payloads = data.map((line) => JSON.parse(line.slice('data: '.length)));
    const text = payloads
      .filter((p) => p.type === 'content_block_delta')
      .map((p) => p.delta.text)
      .join('');
    expect(text).toBe(OPENAI_TEXT);
    expect(received.every((line) => /^(event|id|data): /.test(line))).toBe(true);
  });

  test('Step 5: fetch + getReader + TextDecoder, as the recipe writes it, for both providers', async () => {
    async function streamResponse(model: string): Promise<string> {
      const response = await fetch(`${proxy.url}/v1/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          model,
          stream: true,
          messages: [{ role: 'user', content: 'Count to 5' }],
        }),
      });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let written = '';
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        const chunk = decoder.decode(value);
        written += chunk; // the recipe writes it to stdout
      }
      return written;
    }

    const before = upstream.requests.length;
    expect(anthropicText(parseSseText(await streamResponse('gpt-4-streaming')).events)).toBe(OPENAI_TEXT);
    expect(anthropicText(parseSseText(await streamResponse('claude-opus-streaming')).events)).toBe(
      ANTHROPIC_TEXT,
    );
    const [toOpenai, toAnthropic] = upstream.requests.slice(before);
    expect(toOpenai?.path).toBe('/v1/chat/completions');
    expect(toAnthropic?.path).toBe('/v1/messages');
    expect(toAnthropic?.body).toMatchObject({ model: 'claude-opus-streaming', stream: true });
    expect(toAnthropic?.body.max_tokens).toEqual(expect.any(Number));
    expectProviderAuth(toOpenai!);
    expectProviderAuth(toAnthropic!);
  });

  test("a client's own key headers are never forwarded upstream", async () => {
    const before = upstream.requests.length;
    for (const model of ['gpt-4-streaming', 'claude-opus-streaming']) {
      const response = await fetch(`${proxy.url}/v1/messages`, {
        method: 'POST',
        headers: { authorization: 'Bearer client-key-1', 'x-api-key': 'client-key-2' },
        body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(response.status).toBe(200);
      await response.text();
    }
    const seen = upstream.requests.slice(before);
    expect(seen).toHaveLength(2);
    for (const request of seen) expectProviderAuth(request);
  });

  test('Step 6: both curl commands exactly as written (time, no content type, no max_tokens)', async () => {
    const before = upstream.requests.length;
    // Log lines travel through a pipe: wait until every earlier gpt-4-streaming request has its line.
    const logged = (model: string) => requestLogs(proxy).filter((line) => line.model === model);
    const sent = upstream.requests.filter((r) => r.body.model === 'gpt-4-streaming').length;
    await expect.poll(() => logged('gpt-4-streaming').length, { timeout: 5000 }).toBe(sent);
    const plain = await exec('bash', [
      '-c',
      `time curl -X POST ${proxy.url}/v1/messages \\
  -d '{"model": "gpt-4", "messages": [{"role": "user", "content": "Write 500 words"}]}' \\
  -s > /dev/null`,
    ]);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/real\s+\d+m\d+\.\d+s/);
    const streamed = await exec('bash', [
      '-c',
      `time curl -X POST ${proxy.url}/v1/messages \\
  -d '{"model": "gpt-4-streaming", "stream": true, "messages": [{"role": "user", "content": "Write 500 words"}]}' \\
  --no-buffer -s | head -1`,
    ]);
    expect(streamed.code).toBe(0);
    expect(streamed.stdout).toBe('event: message_start\n');
    expect(streamed.stderr).toMatch(/real\s+\d+m\d+\.\d+s/);

    // What reached the upstream, and what the proxy answered (the first curl's body went to /dev/null).
    const [toPlain, toStreamed] = upstream.requests.slice(before);
    expect(toPlain?.body.model).toBe('gpt-4');
    expect(toPlain?.body.stream).not.toBe(true);
    expect(toStreamed?.body).toMatchObject({
      model: 'gpt-4-streaming',
      stream: true,
      stream_options: { include_usage: true },
    });
    await expect.poll(() => logged('gpt-4').length, { timeout: 5000 }).toBe(1);
    await expect.poll(() => logged('gpt-4-streaming').length, { timeout: 5000 }).toBe(sent + 1);
    expect(logged('gpt-4')[0]).toMatchObject({ status: 200, outcome: 'ok', stream: false, tokens_out: 6 });
    expect(logged('gpt-4-streaming').at(-1)).toMatchObject({ status: 200, stream: true });

    // The same non-streaming curl with its output kept: the whole answer in one Anthropic message.
    const body = await exec('curl', [
      '-X',
      'POST',
      `${proxy.url}/v1/messages`,
      '-d',
      '{"model": "gpt-4", "messages": [{"role": "user", "content": "Write 500 words"}]}',
      '-s',
    ]);
    expect(JSON.parse(body.stdout)).toMatchObject({
      type: 'message',
      model: 'gpt-4',
      content: [{ type: 'text', text: NON_STREAM_TEXT }],
    });
  });

  test('Step 6 as a command: tokenpak measure prints both rows with the upstream token counts', async () => {
    const before = upstream.requests.length;
    const run = await runCli(['measure', '--url', proxy.url, '--model', 'gpt-4-streaming'], {
      cwd: dir,
      env: {},
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Measuring gpt-4-streaming at ${proxy.url}`);
    // The recording's usage says completion_tokens 9: both rows show it.
    expect(run.stdout).toMatch(/\nnon-streaming\s+\d+(\.\d+)? m?s\s+\d+(\.\d+)? m?s\s+9\s/);
    expect(run.stdout).toMatch(/\nstreaming\s+\d+(\.\d+)? m?s\s+\d+(\.\d+)? m?s\s+9\s/);
    const seen = upstream.requests.slice(before);
    expect(seen).toHaveLength(2);
    for (const request of seen) {
      expect(request.body).toMatchObject({ model: 'gpt-4-streaming', stream: true });
      expectProviderAuth(request);
    }
  });

  test('SIGTERM stops the proxy with exit 0, and no provider key ever reached its output', async () => {
    proxy.child.kill('SIGTERM');
    expect(await proxy.exited).toBe(0);
    expect(proxy.output()).not.toContain(KEYS.OPENAI_API_KEY);
    expect(proxy.output()).not.toContain(KEYS.ANTHROPIC_API_KEY);
    expect(requestLogs(proxy).every((line) => line.status === 200)).toBe(true);
  });
});
