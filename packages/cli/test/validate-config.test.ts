import { readFileSync } from 'node:fs';
import { configJsonSchema } from '@tokenpak/config';
import { describe, expect, test } from 'vitest';
import { KEYS, RECIPE, runCli, workdir } from './run-cli.ts';

const ANSI = /\u001b\[/;

describe('tokenpak validate-config (real process)', () => {
  test("the recipe's config with both keys: the recipe's three lines first, exit 0", async () => {
    const run = await runCli(['validate-config'], { cwd: workdir(), env: KEYS });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, 3)).toEqual([
      '✓ Config valid',
      '✓ Streaming enabled (SSE + chunked)',
      '✓ Streaming models available: gpt-4-streaming, claude-opus-streaming',
    ]);
    expect(run.stdout.split('\n').slice(3)).toEqual([
      'ℹ Stream when the client asks: gpt-4, claude-opus',
      "⚠ config.yaml:26:3: models.gpt-4-streaming: no model: given, so the upstream model id is 'gpt-4-streaming', which OpenAI does not know (-streaming is part of the alias, not of a model id): add model: <id>",
      '   26 |   gpt-4-streaming: { provider: openai, stream: true }',
      '      |   ^~~~~~~~~~~~~~~',
      "⚠ config.yaml:28:3: models.claude-opus-streaming: no model: given, so the upstream model id is 'claude-opus-streaming', which Anthropic does not know (-streaming is part of the alias, not of a model id): add model: <id>",
      '   28 |   claude-opus-streaming: { provider: anthropic, stream: true }',
      '      |   ^~~~~~~~~~~~~~~~~~~~~',
      "ℹ config.yaml:25:3: models.gpt-4: no model: given, so the upstream model id is 'gpt-4'; add model: <id> if OpenAI does not know that name",
      "ℹ config.yaml:27:3: models.claude-opus: no model: given, so the upstream model id is 'claude-opus'; add model: <id> if Anthropic does not know that name",
      '',
    ]);
    expect(run.stdout).not.toMatch(ANSI);
    expect(run.stdout + run.stderr).not.toContain(KEYS.OPENAI_API_KEY);
  });

  test('without the keys: errors naming each variable at file:line:col with an excerpt, exit 1', async () => {
    const run = await runCli(['validate-config', 'config.yaml'], { cwd: workdir(), env: {} });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        '✖ Config invalid (2 errors, 2 warnings)',
        '✖ config.yaml:16:14: providers.openai.api_key: environment variable OPENAI_API_KEY is not set (or write ${OPENAI_API_KEY:-default})',
        '   16 |     api_key: ${OPENAI_API_KEY}',
        '      |              ^~~~~~~~~~~~~~~~~',
        '✖ config.yaml:21:14: providers.anthropic.api_key: environment variable ANTHROPIC_API_KEY is not set (or write ${ANTHROPIC_API_KEY:-default})',
        '   21 |     api_key: ${ANTHROPIC_API_KEY}',
        '      |              ^~~~~~~~~~~~~~~~~~~~',
        "⚠ config.yaml:26:3: models.gpt-4-streaming: no model: given, so the upstream model id is 'gpt-4-streaming', which OpenAI does not know (-streaming is part of the alias, not of a model id): add model: <id>",
        '   26 |   gpt-4-streaming: { provider: openai, stream: true }',
        '      |   ^~~~~~~~~~~~~~~',
        "⚠ config.yaml:28:3: models.claude-opus-streaming: no model: given, so the upstream model id is 'claude-opus-streaming', which Anthropic does not know (-streaming is part of the alias, not of a model id): add model: <id>",
        '   28 |   claude-opus-streaming: { provider: anthropic, stream: true }',
        '      |   ^~~~~~~~~~~~~~~~~~~~~',
        "ℹ config.yaml:25:3: models.gpt-4: no model: given, so the upstream model id is 'gpt-4'; add model: <id> if OpenAI does not know that name",
        "ℹ config.yaml:27:3: models.claude-opus: no model: given, so the upstream model id is 'claude-opus'; add model: <id> if Anthropic does not know that name",
        '',
      ].join('\n'),
    );
  });

  test('pitfall warnings are printed with their position, and the config stays valid (exit 0)', async () => {
    const yaml = [
      'streaming:',
      '  formats: [sse]',
      '  buffer_tokens: 1000',
      'providers:',
      '  mock: { type: mock }',
      'models:',
      '  m: { provider: mock }',
      '',
    ].join('\n');
    const run = await runCli(['validate-config'], { cwd: workdir(yaml) });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      '✓ Config valid',
      '✓ Streaming enabled (SSE)',
      '✓ Streaming models available (when the client asks): m',
    ]);
    expect(lines[3]).toBe(
      '⚠ config.yaml:3:18: streaming.buffer_tokens: is 1000: clients wait for 1000 tokens before they see anything, which hurts perceived latency; 5-10 is a good balance',
    );
    expect(lines[4]).toBe('   3 |   buffer_tokens: 1000');
  });

  test('a provider typo: did-you-mean at its position, exit 1', async () => {
    const yaml =
      'providers:\n  openai: { type: openai, api_key: "${OPENAI_API_KEY}" }\nmodels:\n  gpt-4: { provider: opnai }\n';
    const run = await runCli(['validate-config'], { cwd: workdir(yaml), env: KEYS });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "✖ config.yaml:4:22: models.gpt-4.provider: no provider named 'opnai' (did you mean 'openai'?)",
    );
  });

  test("a built-in type's misspelt option and bad value: each at its line:col, exit 1", async () => {
    const yaml =
      'providers:\n  openai:\n    type: openai\n    api_key: ${OPENAI_API_KEY}\n    api: respones\n' +
      '    timout_ms: 500\nmodels:\n  gpt-4: { provider: openai }\n';
    const run = await runCli(['validate-config'], { cwd: workdir(yaml), env: KEYS });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✖ Config invalid');
    expect(run.stdout).toContain(
      `✖ config.yaml:5:10: providers.openai.api: must be 'chat' or 'responses' (got "respones")`,
    );
    expect(run.stdout).toContain(
      "✖ config.yaml:6:5: providers.openai.timout_ms: is not an option of type openai (did you mean 'timeout_ms'?)",
    );
    const json = await runCli(['validate-config', '--json'], { cwd: workdir(yaml), env: KEYS });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).errors).toMatchObject([
      { severity: 'error', path: 'providers.openai.api', line: 5, column: 10 },
      { severity: 'error', path: 'providers.openai.timout_ms', line: 6, column: 5 },
    ]);
  });

  test.each([
    {
      mistake: 'one extra space of indentation',
      yaml: 'streaming:\n  enabled: true\n   buffer_tokens: 5\nproviders:\n  mock: { type: mock }\n',
      report: [
        '✖ config.yaml:3:4: bad indentation: this line is indented more than the one above (3 spaces, the line above has 2); keys of one mapping must start in the same column',
        '   3 |    buffer_tokens: 5',
        '     |    ^~~~~~~~~~~~~~~~',
      ],
    },
    {
      mistake: 'an unquoted ${VAR} inside { }',
      yaml: 'providers:\n  openai: { type: openai, api_key: ${OPENAI_API_KEY} }\nmodels:\n  m: { provider: openai }\n',
      report: [
        '✖ config.yaml:2:36: ${OPENAI_API_KEY} inside { } must be quoted: "${OPENAI_API_KEY}"',
        '   2 |   openai: { type: openai, api_key: ${OPENAI_API_KEY} }',
        '     |                                    ^~~~~~~~~~~~~~~~~',
      ],
    },
    {
      mistake: 'models: indented under providers:',
      yaml: 'providers:\n  mock: { type: mock }\n  models:\n    m: { provider: mock }\n',
      report: [
        "✖ config.yaml:3:3: providers.models: 'models' is a top-level section: did you mean to put models: at the top level (no indentation)?",
        '   3 |   models:',
        '     |   ^~~~~~',
      ],
    },
  ])('a common YAML mistake, $mistake: one error in words at the line to fix, exit 1', async (c) => {
    const run = await runCli(['validate-config'], { cwd: workdir(c.yaml), env: KEYS });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(['✖ Config invalid (1 error)', ...c.report, ''].join('\n'));
  });

  test('a file that cannot be read: exit 2 and a message on stderr', async () => {
    const run = await runCli(['validate-config', 'missing.yaml'], { cwd: workdir() });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('✖ cannot read missing.yaml: no such file\n');
  });

  test('a directory is unreadable too: exit 2', async () => {
    const run = await runCli(['validate-config', '.'], { cwd: workdir() });
    expect(run.code).toBe(2);
  });

  describe('--json', () => {
    test('valid: streaming settings and every model, no keys', async () => {
      const run = await runCli(['validate-config', '--json'], { cwd: workdir(), env: KEYS });
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout);
      expect(report).toMatchObject({
        valid: true,
        file: 'config.yaml',
        errors: [],
        streaming: {
          enabled: true,
          formats: ['sse', 'chunked'],
          buffer_tokens: 5,
          flush_interval_ms: 500,
          max_concurrent_streams: 100,
        },
      });
      expect(report.models).toEqual([
        {
          alias: 'gpt-4',
          provider: 'openai',
          model: 'gpt-4',
          stream: 'client',
          simulated: false,
          buffer_tokens: 5,
          flush_interval_ms: 500,
        },
        {
          alias: 'gpt-4-streaming',
          provider: 'openai',
          model: 'gpt-4-streaming',
          stream: 'always',
          simulated: false,
          buffer_tokens: 5,
          flush_interval_ms: 500,
        },
        {
          alias: 'claude-opus',
          provider: 'anthropic',
          model: 'claude-opus',
          stream: 'client',
          simulated: false,
          buffer_tokens: 5,
          flush_interval_ms: 500,
        },
        {
          alias: 'claude-opus-streaming',
          provider: 'anthropic',
          model: 'claude-opus-streaming',
          stream: 'always',
          simulated: false,
          buffer_tokens: 5,
          flush_interval_ms: 500,
        },
      ]);
      const where = (i: { severity: string; path: string; line: number }) =>
        `${i.severity} ${i.path}:${i.line}`;
      expect(report.warnings.map(where)).toEqual([
        'warning models.gpt-4-streaming:26',
        'warning models.claude-opus-streaming:28',
      ]);
      expect(report.notes.map(where)).toEqual(['info models.gpt-4:25', 'info models.claude-opus:27']);
      expect(run.stdout).not.toContain(KEYS.ANTHROPIC_API_KEY);
    });

    test('with model: on every alias (the README example): no warnings, no notes, the given ids', async () => {
      const yaml = readFileSync(RECIPE, 'utf8')
        .replace('gpt-4: { provider: openai }', 'gpt-4: { provider: openai, model: gpt-4o }')
        .replace(
          'gpt-4-streaming: { provider: openai,',
          'gpt-4-streaming: { provider: openai, model: gpt-4o,',
        )
        .replace(
          'claude-opus: { provider: anthropic }',
          'claude-opus: { provider: anthropic, model: claude-opus-4-1 }',
        )
        .replace(
          'claude-opus-streaming: { provider: anthropic,',
          'claude-opus-streaming: { provider: anthropic, model: claude-opus-4-1,',
        );
      const run = await runCli(['validate-config', '--json'], { cwd: workdir(yaml), env: KEYS });
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout);
      expect(report).toMatchObject({ valid: true, warnings: [], notes: [] });
      expect(report.models.map((m: { model: string }) => m.model)).toEqual([
        'gpt-4o',
        'gpt-4o',
        'claude-opus-4-1',
        'claude-opus-4-1',
      ]);
    });

    test('invalid: the errors with positions, exit 1', async () => {
      const run = await runCli(['validate-config', '--json'], {
        cwd: workdir(),
        env: { OPENAI_API_KEY: 'x' },
      });
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout);
      expect(report.valid).toBe(false);
      expect(report.streaming).toBeNull();
      expect(report.errors).toHaveLength(1);
      expect(report.errors[0]).toMatchObject({
        severity: 'error',
        path: 'providers.anthropic.api_key',
        line: 21,
        column: 14,
      });
    });

    test('unreadable: JSON on stdout, exit 2', async () => {
      const run = await runCli(['validate-config', 'nope.yaml', '--json'], { cwd: workdir() });
      expect(run.code).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({
        valid: false,
        errors: [{ message: 'cannot read nope.yaml: no such file' }],
      });
    });
  });

  describe('colour', () => {
    test('FORCE_COLOR turns ANSI on even when piped', async () => {
      const run = await runCli(['validate-config'], { cwd: workdir(), env: { ...KEYS, FORCE_COLOR: '1' } });
      expect(run.stdout).toMatch(ANSI);
      expect(run.stdout.replace(/\u001b\[[0-9;]*m/g, '').split('\n')[0]).toBe('✓ Config valid');
    });

    test('NO_COLOR wins over FORCE_COLOR', async () => {
      const run = await runCli(['validate-config'], {
        cwd: workdir(),
        env: { FORCE_COLOR: '1', NO_COLOR: 'yes' },
      });
      expect(run.code).toBe(1);
      expect(run.stdout).not.toMatch(ANSI);
    });

    test('help is plain when piped', async () => {
      const run = await runCli(['validate-config', '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('USAGE tokenpak validate-config [OPTIONS] [FILE]');
      expect(run.stdout).not.toMatch(ANSI);
    });
  });
});

describe('tokenpak schema (real process)', () => {
  test('prints the JSON Schema of the config', async () => {
    const run = await runCli(['schema']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(configJsonSchema());
  });
});
