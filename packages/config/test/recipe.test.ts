import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadConfig, parseConfig } from '../src/index.ts';

const recipePath = new URL('./fixtures/recipe.yaml', import.meta.url);
const recipe = readFileSync(recipePath, 'utf8');
const keys = { OPENAI_API_KEY: 'sk-openai-test', ANTHROPIC_API_KEY: 'sk-ant-test' };

describe("the recipe's config, unchanged", () => {
  test('is valid, without warnings, with the keys from the environment', () => {
    const result = parseConfig(recipe, { filename: 'config.yaml', env: keys });
    expect(result).toMatchObject({ ok: true, warnings: [], notes: [] });
    if (!result.ok) return;
    const { config } = result;
    expect(config.streaming).toEqual({
      enabled: true,
      formats: ['sse', 'chunked'],
      buffer_tokens: 5,
      flush_interval_ms: 500,
      max_concurrent_streams: 100,
      heartbeat_ms: 15000,
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
    });
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
