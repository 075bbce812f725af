/**
 * `type: custom, package: <name>`: the package is found in the config folder's node_modules (or a parent
 * folder's), as Node's ESM loader would find it, including an import-only package whose `exports` has just the
 * `types` and `import` conditions (the shape docs/adding-a-provider.md gives).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callContext, collectEvents, providerEntry, userRequest } from '@tokenpak/provider-utils/test';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createProviderRegistry } from '../src/registry/create-provider-registry.ts';

const SHOUT = fileURLToPath(new URL('./fixtures-packages/shout-provider.mjs', import.meta.url));

let project: string;

/** A package under `project/node_modules/<name>` whose module is the shout provider. */
function installShout(name: string, exports: unknown, file = 'dist/index.js'): void {
  const dir = join(project, 'node_modules', name);
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, type: 'module', exports }));
  cpSync(SHOUT, join(dir, file));
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'tokenpak-by-name-'));
  installShout('tokenpak-provider-shout', {
    '.': { types: './dist/index.d.ts', import: './dist/index.js' },
    './package.json': './package.json',
  });
  installShout(
    '@acme/tokenpak-provider-shout',
    { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './loud/*': './dist/*.js' },
    'dist/loud.js',
  );
  installShout('tokenpak-provider-cjs-only', { '.': { require: './dist/index.cjs' } });
  mkdirSync(join(project, 'configs', 'prod'), { recursive: true });
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

async function shout(packageName: string, baseDir: string): Promise<string> {
  const registry = await createProviderRegistry(
    { shout: providerEntry({ type: 'custom', package: packageName, greeting: 'HEY' }) },
    { baseDir },
  );
  try {
    const { summary } = await collectEvents(
      await registry.get('shout')!.stream(userRequest('hi'), callContext()),
    );
    return summary.text;
  } finally {
    await registry.close();
  }
}

test("an import-only package in the config folder's node_modules", async () => {
  expect(await shout('tokenpak-provider-shout', project)).toBe('HEY HI');
});

test("from a config in a subfolder: the nearest parent folder's node_modules", async () => {
  expect(await shout('tokenpak-provider-shout', join(project, 'configs', 'prod'))).toBe('HEY HI');
});

test('a scoped package, and a subpath through an exports pattern', async () => {
  expect(await shout('@acme/tokenpak-provider-shout/loud/loud', project)).toBe('HEY HI');
});

test('a package that is nowhere: the error names the folder looked in first and what to do', async () => {
  const failure = shout('tokenpak-provider-nowhere', join(project, 'configs'));
  await expect(failure).rejects.toThrow(
    `could not load provider package "tokenpak-provider-nowhere" for providers.shout: not found in ${join(project, 'configs', 'node_modules')} nor in the node_modules of any folder above it, nor among TokenPak's own packages (install it next to the config, e.g. npm install tokenpak-provider-nowhere, or give a path: package: ./folder)`,
  );
});

test('a package found but exporting nothing to import: the error names its package.json', async () => {
  await expect(shout('tokenpak-provider-cjs-only', project)).rejects.toThrow(
    `${join(project, 'node_modules', 'tokenpak-provider-cjs-only', 'package.json')} has no "exports" entry for "tokenpak-provider-cjs-only" under the import or default condition`,
  );
});
