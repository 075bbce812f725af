import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  ConfigReadError,
  configJsonSchema,
  didYouMean,
  isConfigReadError,
  loadConfig,
  parseConfig,
} from '../src/index.ts';

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokenpak-config-'));

  test('a missing file rejects with ConfigReadError (not an invalid-config result)', async () => {
    const path = join(dir, 'nope.yaml');
    const error = await loadConfig(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigReadError);
    expect(isConfigReadError(error)).toBe(true);
    expect(error).toMatchObject({
      kind: 'read',
      code: 'ENOENT',
      path,
      message: `cannot read ${path}: no such file`,
    });
  });

  test('a directory rejects with ConfigReadError', async () => {
    await expect(loadConfig(dir)).rejects.toMatchObject({ kind: 'read', code: 'EISDIR' });
  });

  test('an empty file is an invalid config', async () => {
    const path = join(dir, 'empty.yaml');
    writeFileSync(path, '# nothing here\n');
    const result = await loadConfig(path);
    expect(result).toMatchObject({ ok: false, errors: [{ path: '', file: path }] });
    expect(isConfigReadError(new Error('x'))).toBe(false);
  });
});

describe('configJsonSchema', () => {
  const schema = configJsonSchema() as any;

  test('describes every section, with defaults and closed sets', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(Object.keys(schema.properties)).toEqual(['server', 'streaming', 'providers', 'models']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.server.properties.port).toMatchObject({
      type: 'integer',
      default: 8000,
      maximum: 65535,
    });
    expect(schema.properties.streaming.properties.formats.items.enum).toEqual(['sse', 'chunked']);
    expect(schema.properties.streaming.properties.buffer_tokens).toMatchObject({ default: 1, minimum: 1 });
    const provider = schema.properties.providers.additionalProperties;
    expect(provider.properties.type.enum).toEqual([
      'openai',
      'anthropic',
      'openai-compatible',
      'azure',
      'gemini',
      'ollama',
      'bedrock',
      'mock',
      'custom',
    ]);
    expect(provider.required).toEqual(['type']);
    expect(provider.additionalProperties).not.toBe(false);
    const model = schema.properties.models.additionalProperties;
    expect(model.required).toEqual(['provider']);
    expect(model.additionalProperties).toBe(false);
    expect(typeof model.properties.stream.description).toBe('string');
  });

  test('streaming.enabled says what false does: a streaming request gets a 400 (as the server answers)', () => {
    expect(schema.properties.streaming.properties.enabled.description).toBe(
      'Stream responses to clients that ask for it. false: a request with "stream": true gets a 400 (streaming is off); others are answered whole.',
    );
  });

  test('the README row for streaming.enabled agrees', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const row = readme.split('\n').find((line) => line.startsWith('| `enabled` |'));
    expect(row).toContain('is refused with a 400');
    expect(row).not.toContain('every response is sent whole');
  });

  test('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});

describe('didYouMean', () => {
  test.each([
    ['opnai', ['openai', 'anthropic'], 'openai'],
    ['antropic', ['openai', 'anthropic'], 'anthropic'],
    ['OpenAI', ['openai'], 'openai'],
    ['bedrock', ['openai', 'anthropic'], undefined],
    ['x', [], undefined],
  ])('%s -> %s', (input, candidates, expected) => {
    expect(didYouMean(input, candidates)).toBe(expected);
  });
});

test('parseConfig accepts a document start and comments', () => {
  const result = parseConfig(
    '# yaml-language-server: $schema=./schema.json\n---\nproviders: { p: { type: mock } }\nmodels: { m: { provider: p } }\n',
  );
  expect(result.ok).toBe(true);
});
