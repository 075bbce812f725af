import { describe, expect, test } from 'vitest';
import { formatIssue, parseConfig } from '../src/index.ts';
import { brokenCases } from './cases.ts';

describe('each broken config gives one error, in words, at its line:col', () => {
  test('the table is large enough to matter', () => {
    expect(brokenCases.length).toBeGreaterThanOrEqual(25);
  });

  test.each(brokenCases)('$name', (c) => {
    const result = parseConfig(c.yaml, { filename: 'config.yaml', env: c.env ?? {} });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(({ excerpt: _, ...rest }) => rest)).toEqual([
      {
        severity: 'error',
        file: 'config.yaml',
        path: c.path,
        message: c.message,
        line: c.line,
        column: c.column,
      },
    ]);
    const [error] = result.errors;
    const excerptLines = error!.excerpt!.split('\n');
    expect(excerptLines[0]).toBe(c.yaml.split('\n')[c.line - 1]);
    expect(excerptLines[1]!.indexOf('^')).toBe(c.column - 1);
  });
});

describe('several errors at once', () => {
  test('schema errors and a provider typo are all reported, in file order', () => {
    const yaml = [
      'streaming:',
      '  buffer_token: 5',
      'providers:',
      '  openai: { type: openai, api_key: "${OPENAI_API_KEY}" }',
      'models:',
      '  gpt-4: { provider: opnai }',
      '',
    ].join('\n');
    const result = parseConfig(yaml, { env: {} });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.line, e.column, e.path])).toEqual([
      [2, 3, 'streaming.buffer_token'],
      [4, 37, 'providers.openai.api_key'],
      [6, 22, 'models.gpt-4.provider'],
    ]);
  });
});

describe('YAML syntax errors', () => {
  test('only the first is reported (the rest are its consequences); duplicate keys before it are kept', () => {
    const yaml = [
      'models:',
      '  gpt-4: { provider: openai }',
      '  gpt-4: { provider: openai }',
      'providers:',
      '  openai: { type: openai, api_key: ${OPENAI_API_KEY} }',
      '  anthropic: { type: anthropic, api_key: ${ANTHROPIC_API_KEY} }',
      '',
    ].join('\n');
    const result = parseConfig(yaml, { filename: 'config.yaml', env: {} });
    if (result.ok) throw new Error('expected errors');
    expect(result.errors.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`)).toEqual([
      "3:3 models.gpt-4: duplicate model alias 'gpt-4': each may appear only once",
      '5:36 : ${OPENAI_API_KEY} inside { } must be quoted: "${OPENAI_API_KEY}"',
    ]);
  });

  test('print with no schema path: file:line:col, the words, the line and a caret', () => {
    const result = parseConfig('streaming:\n  enabled: true\n   buffer_tokens: 5\n', {
      filename: 'config.yaml',
    });
    if (result.ok) throw new Error('expected errors');
    expect(result.errors.map((e) => formatIssue(e))).toEqual([
      [
        'config.yaml:3:4: bad indentation: this line is indented more than the one above (3 spaces, the line above has 2); keys of one mapping must start in the same column',
        ' 3 |    buffer_tokens: 5',
        '   |    ^~~~~~~~~~~~~~~~',
      ].join('\n'),
    ]);
  });
});

describe('formatIssue', () => {
  test('prints file:line:col: path: message, then the line and a caret under the value', () => {
    const yaml =
      'providers:\n  openai: { type: openai, api_key: k }\nmodels:\n  gpt-4: { provider: opnai }\n';
    const result = parseConfig(yaml, { filename: 'config.yaml' });
    if (result.ok) throw new Error('expected errors');
    expect(formatIssue(result.errors[0]!)).toBe(
      [
        "config.yaml:4:22: models.gpt-4.provider: no provider named 'opnai' (did you mean 'openai'?)",
        ' 4 |   gpt-4: { provider: opnai }',
        '   |                      ^~~~~',
      ].join('\n'),
    );
  });

  test('adds ANSI colour only when asked', () => {
    const result = parseConfig('server:\n  port: x\n', { filename: 'c.yaml' });
    if (result.ok) throw new Error('expected errors');
    const issue = result.errors[0]!;
    expect(formatIssue(issue)).not.toContain('\u001b[');
    expect(formatIssue(issue, { color: false })).not.toContain('\u001b[');
    expect(formatIssue(issue, { color: true })).toContain('\u001b[');
  });

  test('an issue without a position prints only its text', () => {
    expect(formatIssue({ severity: 'warning', path: 'models', message: 'no models' })).toBe(
      'models: no models',
    );
  });
});
