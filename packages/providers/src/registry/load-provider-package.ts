/**
 * Loads a third-party provider package (`type: custom`, `package: <specifier>`): a relative or absolute path
 * (resolved against baseDir) or a package name (resolved from baseDir's node_modules, then from TokenPak's).
 * The module must export a ProviderFactory as `default` or `createProvider`.
 */
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProviderFactory } from '@tokenpak/provider';
import { ProviderSetupError } from './provider-setup-error.ts';

export type ImportModule = (specifier: string) => Promise<unknown>;

const defaultImport: ImportModule = (specifier) => import(specifier);

/** What to hand to `import()`: a file URL for paths and for package names found under baseDir. */
export function resolveSpecifier(specifier: string, baseDir: string): string {
  if (specifier.startsWith('file:')) return specifier;
  if (specifier.startsWith('./') || specifier.startsWith('../') || isAbsolute(specifier)) {
    return pathToFileURL(resolve(baseDir, specifier)).href;
  }
  try {
    return pathToFileURL(createRequire(join(baseDir, 'noop.js')).resolve(specifier)).href;
  } catch {
    // ESM-only packages (exports with only an "import" condition) and packages installed next to TokenPak.
    return specifier;
  }
}

export async function loadProviderFactory(
  provider: string,
  specifier: string,
  baseDir: string,
  importModule: ImportModule = defaultImport,
): Promise<ProviderFactory> {
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
  const factory = typeof exports.default === 'function' ? exports.default : exports.createProvider;
  if (typeof factory !== 'function') {
    const found = Object.keys(exports);
    throw new ProviderSetupError(
      provider,
      `provider package "${specifier}" (providers.${provider}) must export a provider factory function as ` +
        `default or createProvider (found ${found.length > 0 ? `exports: ${found.join(', ')}` : 'no exports'})`,
    );
  }
  return factory as ProviderFactory;
}
