import { describe, expect, test } from 'vitest';
import { parseConfig } from '../src/index.ts';

function provider(apiKeyYaml: string, env: Record<string, string | undefined>) {
  const yaml = `providers:\n  p:\n    type: mock\n    api_key: ${apiKeyYaml}\nmodels:\n  m: { provider: p }\n`;
  return parseConfig(yaml, { env });
}

function apiKey(apiKeyYaml: string, env: Record<string, string | undefined>) {
  const result = provider(apiKeyYaml, env);
  if (!result.ok) throw new Error(result.errors[0]!.message);
  return result.config.providers.p!.api_key;
}

describe('${VAR} interpolation', () => {
  test('replaces a variable with its value', () => {
    expect(apiKey('${KEY}', { KEY: 'secret' })).toBe('secret');
  });

  test('replaces several variables inside a longer string, quoted or not', () => {
    expect(apiKey('pre-${A}-${B}-post', { A: '1', B: '2' })).toBe('pre-1-2-post');
    expect(apiKey('"${A}:${B}"', { A: 'x', B: 'y' })).toBe('x:y');
  });

  test('${VAR:-default} uses the default when VAR is unset or empty, the value otherwise', () => {
    expect(apiKey('${KEY:-fallback}', {})).toBe('fallback');
    expect(apiKey('${KEY:-fallback}', { KEY: '' })).toBe('fallback');
    expect(apiKey('${KEY:-fallback}', { KEY: 'set' })).toBe('set');
    expect(apiKey("'${KEY:-}'", {})).toBe('');
  });

  test('a set but empty variable without default is the empty string', () => {
    expect(apiKey('"${KEY}"', { KEY: '' })).toBe('');
  });

  test('$${ writes a literal ${', () => {
    expect(apiKey('"$${KEY}"', { KEY: 'secret' })).toBe('${KEY}');
  });

  test('values are not interpolated twice', () => {
    expect(apiKey('${A}', { A: '${B}', B: 'no' })).toBe('${B}');
  });

  test('an unset variable is an error naming it, at its own column inside the string', () => {
    const result = provider('"abc ${ONE} ${TWO}"', { ONE: '1' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({
      path: 'providers.p.api_key',
      message: 'environment variable TWO is not set (or write ${TWO:-default})',
      line: 4,
      column: 26,
    });
  });

  test('reads process.env when no env is given', () => {
    const name = 'TOKENPAK_CONFIG_TEST_VAR';
    process.env[name] = 'from-process';
    try {
      expect(apiKey(`\${${name}}`, undefined as never)).toBe('from-process');
      const result = parseConfig(
        `providers:\n  p: { type: mock, api_key: "\${${name}}" }\nmodels: { m: { provider: p } }`,
      );
      expect(result.ok && result.config.providers.p!.api_key).toBe('from-process');
    } finally {
      delete process.env[name];
    }
  });

  test('a plain scalar that is one reference becomes a number or boolean when it reads as one', () => {
    const yaml = [
      'server:',
      '  port: "${PORT_Q:-9}"',
      '  host: ${HOST:-127.0.0.1}',
      'streaming:',
      '  enabled: ${STREAMING:-true}',
      '  buffer_tokens: ${BUF}',
      'providers: { p: { type: mock } }',
      'models: { m: { provider: p } }',
    ].join('\n');
    const quoted = parseConfig(yaml, { env: { BUF: '4' } });
    expect(quoted.ok).toBe(false);
    if (quoted.ok) return;
    expect(quoted.errors.map((e) => [e.path, e.message])).toEqual([
      ['server.port', "expected a whole number, got '9'"],
    ]);
    const plain = parseConfig(yaml.replace('"${PORT_Q:-9}"', '${PORT_Q:-9}'), { env: { BUF: '4' } });
    expect(plain.ok && plain.config.server.port).toBe(9);
    expect(plain.ok && plain.config.streaming).toMatchObject({ enabled: true, buffer_tokens: 4 });
  });

  test('keys are never interpolated', () => {
    const result = parseConfig('providers:\n  ${P}: { type: mock }\nmodels: { m: { provider: "${P}" } }', {
      env: { P: 'p' },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({
      path: 'models.m.provider',
      message: "no provider named 'p' (known: ${P})",
    });
  });
});
