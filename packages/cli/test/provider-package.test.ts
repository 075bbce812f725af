/**
 * A third-party provider package, end to end: the test-only echo package (written with @tokenpak/provider
 * and @tokenpak/provider-utils alone, packages/providers/test/fixtures-packages/echo-provider) configured as
 * `type: custom, package: <relative path>`, checked by `tokenpak validate-config` (options errors at
 * file:line:col), then served by a real `tokenpak proxy` to the official OpenAI and Anthropic SDKs, streamed
 * and not, against a fake Gemini-style upstream.
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEchoUpstream } from '../../providers/test/fixtures-packages/echo-provider/upstream.mjs';
import { type ProxyProcess, startProxyProcess } from './proxy-process.ts';
import { runCli, workdir } from './run-cli.ts';

const ECHO_PACKAGE = fileURLToPath(
  new URL('../../providers/test/fixtures-packages/echo-provider', import.meta.url),
);
const API_KEY = 'echo-secret-key-42';

/** A config in a fresh folder whose providers load the echo package by a path relative to that folder. */
function echoConfig(upstreamUrl: string, options: { echo?: string; short?: string } = {}): string {
  const yaml = (dir: string) => {
    const pkg = relative(dir, ECHO_PACKAGE);
    return [
      'providers:',
      '  echo:',
      '    type: custom',
      `    package: ${pkg.startsWith('.') ? pkg : `./${pkg}`}`,
      `    base_url: ${upstreamUrl}/v1beta`,
      '    api_key: ${ECHO_API_KEY}',
      `    ${options.echo ?? 'greeting: "echo:"'}`,
      '  echo-short:',
      '    type: custom',
      `    package: ${pkg.startsWith('.') ? pkg : `./${pkg}`}`,
      `    base_url: ${upstreamUrl}/v1beta`,
      '    api_key: ${ECHO_API_KEY}',
      `    ${options.short ?? 'max_words: 3'}`,
      'models:',
      '  echo-chat: { provider: echo, model: echo-1 }',
      '  echo-short: { provider: echo-short, model: echo-1 }',
      '',
    ].join('\n');
  };
  const dir = workdir('');
  writeFileSync(`${dir}/config.yaml`, yaml(dir));
  return dir;
}

let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
beforeAll(async () => {
  upstream = await startEchoUpstream({ apiKey: API_KEY });
});
afterAll(() => upstream?.close());

describe('tokenpak validate-config with a provider package', () => {
  test('valid options: exit 0', async () => {
    const run = await runCli(['validate-config'], {
      cwd: echoConfig(upstream.url),
      env: { ECHO_API_KEY: API_KEY },
    });
    expect(run.stdout).toContain('✓ Config valid');
    expect(run.code).toBe(0);
  });

  test("bad options: exit 1, each named at its file:line:col by the package's own schema", async () => {
    const dir = echoConfig(upstream.url, { echo: 'greeting: 42', short: 'max_words: many' });
    const run = await runCli(['validate-config', 'config.yaml'], {
      cwd: dir,
      env: { ECHO_API_KEY: API_KEY },
    });
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      '✖ Config invalid (2 errors)',
      '✖ config.yaml:7:15: providers.echo.greeting: expected a string, got 42',
      '   7 |     greeting: 42',
      '     |               ^~',
      '✖ config.yaml:13:16: providers.echo-short.max_words: expected a whole number ≥ 1, got "many"',
      '   13 |     max_words: many',
      '      |                ^~~~',
      '',
    ]);

    const json = await runCli(['validate-config', 'config.yaml', '--json'], {
      cwd: dir,
      env: { ECHO_API_KEY: API_KEY },
    });
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ valid: false, streaming: null, models: [] });
    expect(report.errors).toEqual([
      expect.objectContaining({
        severity: 'error',
        path: 'providers.echo.greeting',
        file: 'config.yaml',
        line: 7,
        column: 15,
      }),
      expect.objectContaining({ path: 'providers.echo-short.max_words', line: 13, column: 16 }),
    ]);
    expect(json.stdout).not.toContain(API_KEY);
  });

  test('an unknown option, and a package that cannot be loaded', async () => {
    const dir = workdir(
      [
        'providers:',
        '  echo:',
        '    type: custom',
        '    package: ./nowhere/provider.mjs',
        '    api_key: k',
        'models:',
        '  echo-chat: { provider: echo }',
        '',
      ].join('\n'),
    );
    const missing = await runCli(['validate-config'], { cwd: dir, env: {} });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(
      '✖ config.yaml:4:14: providers.echo.package: could not load provider package "./nowhere/provider.mjs" for providers.echo:',
    );

    const unknown = await runCli(['validate-config'], {
      cwd: echoConfig(upstream.url, { echo: 'colour: red' }),
      env: { ECHO_API_KEY: API_KEY },
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain(
      '✖ config.yaml:7:5: providers.echo.colour: is not an option of type echo; its options: greeting, max_words',
    );
  });
});

describe('tokenpak proxy serving a provider package to both client dialects', () => {
  let proxy: ProxyProcess;
  beforeAll(async () => {
    proxy = await startProxyProcess(['--config', 'config.yaml', '--port', '0'], {
      cwd: echoConfig(upstream.url),
      env: { ECHO_API_KEY: API_KEY },
    });
  });
  afterAll(() => {
    proxy?.child.kill('SIGKILL');
  });

  test('POST /v1/chat/completions with the openai SDK, streamed and not', async () => {
    const openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const stream = await openai.chat.completions.create({
      model: 'echo-chat',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'stream me through the proxy' }],
    });
    let text = '';
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta?.content ?? '';
      finish ??= chunk.choices[0]?.finish_reason;
      usage ??= chunk.usage;
    }
    expect(text).toBe('echo: stream me through the proxy');
    expect(chunks).toBeGreaterThan(3);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 6 });

    const whole = await openai.chat.completions.create({
      model: 'echo-short',
      messages: [{ role: 'user', content: 'one two three four' }],
    });
    expect(whole.choices[0]?.message.content).toBe('echo: one two');
    expect(whole.choices[0]?.finish_reason).toBe('length');
    expect(whole.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 3 });
  });

  test('POST /v1/messages with the @anthropic-ai/sdk, streamed and not', async () => {
    const anthropic = new Anthropic({ baseURL: proxy.url, apiKey: 'unused', maxRetries: 0 });
    const deltas: string[] = [];
    const message = await anthropic.messages
      .stream({ model: 'echo-short', max_tokens: 256, messages: [{ role: 'user', content: 'a b c d e' }] })
      .on('text', (delta) => deltas.push(delta))
      .finalMessage();
    expect(deltas.join('')).toBe('echo: a b');
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'echo: a b' })]);
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage).toMatchObject({ input_tokens: 5, output_tokens: 3 });

    const whole = await anthropic.messages.create({
      model: 'echo-chat',
      max_tokens: 256,
      messages: [{ role: 'user', content: 'hello there' }],
    });
    expect(whole.content).toEqual([expect.objectContaining({ type: 'text', text: 'echo: hello there' })]);
    expect(whole.stop_reason).toBe('end_turn');
    expect(whole.usage).toMatchObject({ input_tokens: 2, output_tokens: 3 });

    // The calls reached the upstream on per-call, Gemini-style URLs, with the key.
    const urls = upstream.requests.map((r) => r.url);
    expect(urls).toContain('/v1beta/models/echo-1:streamGenerateContent?alt=sse');
    expect(urls).toContain('/v1beta/models/echo-1:generateContent');
    expect(upstream.requests.every((r) => r.headers['x-goog-api-key'] === API_KEY)).toBe(true);
  });
});
