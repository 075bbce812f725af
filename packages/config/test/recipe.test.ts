import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadConfig, parseConfig } from '../src/index.ts';

const recipePath = new URL('./fixtures/recipe.yaml', import.meta.url);
const recipe = readFileSync(recipePath, 'utf8');
const keys = { OPENAI_API_KEY: 'sk-openai-test', ANTHROPIC_API_KEY: 'sk-ant-test' };

describe("the recipe's config, unchanged", () => {
  test('is valid with the keys from the environment; each alias sent upstream as its own id is flagged', () => {
    const result = parseConfig(recipe, { filename: 'config.yaml', env: keys });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const brief = (i: { line?: number; column?: number; path: string; message: string }) =>
      `${i.line}:${i.column} ${i.path}: ${i.message}`;
    expect(result.warnings.map(brief)).toEqual([
      "26:3 models.gpt-4-streaming: no model: given, so the upstream model id is 'gpt-4-streaming', which OpenAI does not know (-streaming is part of the alias, not of a model id): add model: <id>",
      "28:3 models.claude-opus-streaming: no model: given, so the upstream model id is 'claude-opus-streaming', which Anthropic does not know (-streaming is part of the alias, not of a model id): add model: <id>",
    ]);
    expect(result.notes.map(brief)).toEqual([
      "25:3 models.gpt-4: no model: given, so the upstream model id is 'gpt-4'; add model: <id> if OpenAI does not know that name",
      "27:3 models.claude-opus: no model: given, so the upstream model id is 'claude-opus'; add model: <id> if Anthropic does not know that name",
    ]);
    const { config } = result;
    expect(config.streaming).toEqual({
      enabled: true,
      formats: ['sse', 'chunked'],
      buffer_tokens: 5,
      flush_interval_ms: 500,
      max_concurrent_streams: 100,
      heartbeat_ms: 15000,
      resume: {
        enabled: true,
        reconnect_grace_ms: 10000,
        keep_ms: 60000,
        max_bytes_per_stream: 8388608,
        max_bytes_total: 268435456,
      },
    });
    expect(config.providers.openai).toMatchObject({
      type: 'openai',
      api_key: 'sk-openai-test',
      supports_streaming: true,
    });
    expect(config.providers.anthropic).toMatchObject({ type: 'anthropic', api_key: 'sk-ant-test' });
    expect(config.models).toEqual({
      'gpt-4': { provider: 'openai', model: 'gpt-4' },
      'gpt-4-streaming': { provider: 'openai', model: 'gpt-4-streaming', stream: true },
      'claude-opus': { provider: 'anthropic', model: 'claude-opus' },
      'claude-opus-streaming': { provider: 'anthropic', model: 'claude-opus-streaming', stream: true },
    });
    expect(config.server).toEqual({
      host: '127.0.0.1',
      port: 8000,
      max_body_bytes: 10485760,
      default_max_tokens: 4096,
      shutdown_grace_ms: 10000,
      cors: false,
      workers: 1,
      response_store: { max_entries: 1000, ttl_ms: 3600000 },
    });
  });

  test('with model: on each alias, nothing is flagged and the ids sent upstream are the given ones', () => {
    const fixed = recipe
      .replace('gpt-4: { provider: openai }', 'gpt-4: { provider: openai, model: gpt-4o }')
      .replace('gpt-4-streaming: { provider: openai,', 'gpt-4-streaming: { provider: openai, model: gpt-4o,')
      .replace(
        'claude-opus: { provider: anthropic }',
        'claude-opus: { provider: anthropic, model: claude-opus-4-1 }',
      )
      .replace(
        'claude-opus-streaming: { provider: anthropic,',
        'claude-opus-streaming: { provider: anthropic, model: claude-opus-4-1,',
      );
    expect(fixed.match(/model: /g)).toHaveLength(4);
    const result = parseConfig(fixed, { filename: 'config.yaml', env: keys });
    expect(result).toMatchObject({ ok: true, warnings: [], notes: [] });
    if (!result.ok) return;
    expect(Object.values(result.config.models).map((m) => m.model)).toEqual([
      'gpt-4o',
      'gpt-4o',
      'claude-opus-4-1',
      'claude-opus-4-1',
    ]);
  });

  test('without the keys, names each missing variable at its line:col', () => {
    const result = parseConfig(recipe, { filename: 'config.yaml', env: {} });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.path}: ${e.message}`)).toEqual([
      'config.yaml:16:14: providers.openai.api_key: environment variable OPENAI_API_KEY is not set (or write ${OPENAI_API_KEY:-default})',
      'config.yaml:21:14: providers.anthropic.api_key: environment variable ANTHROPIC_API_KEY is not set (or write ${ANTHROPIC_API_KEY:-default})',
    ]);
  });

  test('loads from disk the same way, naming the file in issues', async () => {
    const path = recipePath.pathname;
    const result = await loadConfig(path, { env: { OPENAI_API_KEY: 'a' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ file: path, line: 21, column: 14 });
  });
});

describe("the root README's Configuration example", () => {
  test('is valid with no warnings and no notes: every alias names its upstream model', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toContain('gpt-4-streaming:');
    const result = parseConfig(yaml!, { filename: 'config.yaml', env: keys });
    expect(result).toMatchObject({ ok: true, warnings: [], notes: [] });
  });
});
