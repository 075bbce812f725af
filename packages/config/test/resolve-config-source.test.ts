import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { isConfigReadError, resolveConfigSource } from '../src/index.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'tokenpak-source-'));
const YAML = 'providers:\n  m: { type: mock }\nmodels:\n  a: { provider: m }\n';

test('no named file and no config.yaml: the embedded default, based in cwd', async () => {
  const cwd = dir();
  const source = await resolveConfigSource({ cwd, env: {} });
  expect(source.kind).toBe('embedded');
  expect(source.baseDir).toBe(cwd);
  if (source.kind === 'embedded') expect(Object.keys(source.config.providers)).toEqual(['mock']);
});

test('config.yaml in cwd is used when no file is named', async () => {
  const cwd = dir();
  writeFileSync(join(cwd, 'config.yaml'), YAML);
  const source = await resolveConfigSource({ cwd, env: {} });
  expect(source.kind === 'file' && source.result.ok && Object.keys(source.result.config.models)).toEqual([
    'a',
  ]);
  expect(source.baseDir).toBe(cwd);
});

test('a named file wins over config.yaml and is resolved against cwd; baseDir is its folder', async () => {
  const cwd = dir();
  writeFileSync(join(cwd, 'config.yaml'), 'this: is not used\n');
  mkdirSync(join(cwd, 'conf'));
  writeFileSync(join(cwd, 'conf', 'proxy.yaml'), YAML);
  const source = await resolveConfigSource({ file: 'conf/proxy.yaml', cwd, env: {} });
  expect(source.kind).toBe('file');
  expect(source.baseDir).toBe(join(cwd, 'conf'));
  expect(source.kind === 'file' && source.result.ok).toBe(true);
});

test('a named file that cannot be read rejects with a ConfigReadError', async () => {
  const error = await resolveConfigSource({ file: 'missing.yaml', cwd: dir(), env: {} }).catch((e) => e);
  expect(isConfigReadError(error)).toBe(true);
});
