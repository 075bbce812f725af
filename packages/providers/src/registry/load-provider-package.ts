/**
 * Loads a third-party provider package (`type: custom`, `package: <specifier>`): a relative or absolute path
 * (resolved against baseDir; a folder is read through its package.json) or a package name (resolved from
 * baseDir's node_modules, then from TokenPak's).
 *
 * The module exports a ProviderPackage `{ type, optionsSchema?, create }`, as its default export or as named
 * exports; or, the older shape, a ProviderFactory as `default` or `createProvider`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProviderFactory, StandardSchema } from '@tokenpak/provider';
import { specificationVersion } from '@tokenpak/provider';
import { ProviderSetupError } from './provider-setup-error.ts';

export type ImportModule = (specifier: string) => Promise<unknown>;

const defaultImport: ImportModule = (specifier) => import(specifier);

/** A loaded provider package, whichever shape it exported. */
export interface LoadedProviderPackage {
  /** The package's provider type, when it declares one (the older factory-only shape does not). */
  type?: string;
  optionsSchema?: StandardSchema;
  create: ProviderFactory;
}

/** The entry file of a package folder: its package.json's `exports` (`.`, import/default), `main`, or index.js. */
function folderEntry(dir: string): string {
  const manifest = join(dir, 'package.json');
  if (existsSync(manifest)) {
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown; main?: unknown };
    let target: unknown = pkg.exports;
    if (target !== null && typeof target === 'object' && '.' in target)
      target = (target as { '.': unknown })['.'];
    while (target !== null && typeof target === 'object') {
      const conditions = target as Record<string, unknown>;
      target = conditions.import ?? conditions.node ?? conditions.default;
    }
    if (typeof target === 'string') return resolve(dir, target);
    if (typeof pkg.main === 'string') return resolve(dir, pkg.main);
  }
  return join(dir, 'index.js');
}

/** What to hand to `import()`: a file URL for paths and for package names found under baseDir. */
export function resolveSpecifier(specifier: string, baseDir: string): string {
  if (specifier.startsWith('file:')) return specifier;
  if (specifier.startsWith('./') || specifier.startsWith('../') || isAbsolute(specifier)) {
    const path = resolve(baseDir, specifier);
    const isFolder = existsSync(path) && statSync(path).isDirectory();
    return pathToFileURL(isFolder ? folderEntry(path) : path).href;
  }
  try {
    return pathToFileURL(createRequire(join(baseDir, 'noop.js')).resolve(specifier)).href;
  } catch {
    // ESM-only packages (exports with only an "import" condition) and packages installed next to TokenPak.
    return specifier;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && (typeof value === 'object' || typeof value === 'function');

/** Whether a value looks like a Standard Schema (`~standard.validate`). */
export function isStandardSchema(value: unknown): value is StandardSchema {
  return isObject(value) && isObject(value['~standard']) && typeof value['~standard'].validate === 'function';
}

/** The ProviderPackage in a module's exports (default object, or named `create`), checked; or undefined. */
function packageShape(
  exports: Record<string, unknown>,
  provider: string,
  specifier: string,
): LoadedProviderPackage | undefined {
  const candidate =
    isObject(exports.default) && typeof exports.default.create === 'function'
      ? exports.default
      : typeof exports.create === 'function'
        ? exports
        : undefined;
  if (!candidate) return undefined;
  const where = `provider package "${specifier}" (providers.${provider})`;
  const { type, optionsSchema } = candidate;
  const version = candidate.specificationVersion;
  if (version !== undefined && version !== specificationVersion) {
    throw new ProviderSetupError(
      provider,
      `${where} was built for specification ${JSON.stringify(version)}; this TokenPak supports "${specificationVersion}"`,
    );
  }
  if (typeof type !== 'string' || type === '') {
    throw new ProviderSetupError(
      provider,
      `${where} must export its provider \`type\` as a non-empty string`,
    );
  }
  if (optionsSchema !== undefined && !isStandardSchema(optionsSchema)) {
    throw new ProviderSetupError(
      provider,
      `${where} exports an \`optionsSchema\` that is not a Standard Schema (an object with ~standard.validate; valibot, zod and arktype schemas are)`,
    );
  }
  return {
    type,
    create: candidate.create as ProviderFactory,
    ...(optionsSchema !== undefined && { optionsSchema }),
  };
}

export async function loadProviderPackage(
  provider: string,
  specifier: string,
  baseDir: string,
  importModule: ImportModule = defaultImport,
): Promise<LoadedProviderPackage> {
  let mod: unknown;
  try {
    mod = await importModule(resolveSpecifier(specifier, baseDir));
  } catch (error) {
    throw new ProviderSetupError(
      provider,
      `could not load provider package "${specifier}" for providers.${provider}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const exports = (mod ?? {}) as Record<string, unknown>;
  const shaped = packageShape(exports, provider, specifier);
  if (shaped) return shaped;
  const factory = typeof exports.default === 'function' ? exports.default : exports.createProvider;
  if (typeof factory !== 'function') {
    const found = Object.keys(exports);
    throw new ProviderSetupError(
      provider,
      `provider package "${specifier}" (providers.${provider}) must export { type, create, optionsSchema? } ` +
        'as default or as named exports, or a provider factory function as default or createProvider ' +
        `(found ${found.length > 0 ? `exports: ${found.join(', ')}` : 'no exports'})`,
    );
  }
  return { create: factory as ProviderFactory };
}
