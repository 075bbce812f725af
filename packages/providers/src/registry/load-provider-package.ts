/**
 * Loads a third-party provider package (`type: custom`, `package: <specifier>`): a relative or absolute path
 * (resolved against baseDir; a folder is read through its package.json) or a package name (resolved from
 * baseDir's node_modules and those of the folders above it, as Node's ESM loader would; then from TokenPak's).
 *
 * The module exports a ProviderPackage `{ type, optionsSchema?, create }`, as its default export or as named
 * exports; or, the older shape, a ProviderFactory as `default` or `createProvider`.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProviderFactory, StandardSchema } from '@tokenpak/provider';
import { specificationVersion } from '@tokenpak/provider';
import { findPackageEntry, packageEntry } from './package-entry.ts';
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

/** What to hand to `import()`, and where a package name was looked for (for the error when it is not found). */
export interface ResolvedSpecifier {
  specifier: string;
  /** For a package name not found under baseDir: the node_modules folders looked in, nearest first. */
  looked?: string[];
}

/**
 * A file URL for paths and for package names found under baseDir (ESM resolution: `exports` import/node/default,
 * so an import-only package resolves); the bare name otherwise, for `import()` to find next to TokenPak.
 */
export function resolveSpecifier(specifier: string, baseDir: string): ResolvedSpecifier {
  if (specifier.startsWith('file:')) return { specifier };
  if (specifier.startsWith('./') || specifier.startsWith('../') || isAbsolute(specifier)) {
    const path = resolve(baseDir, specifier);
    const isFolder = existsSync(path) && statSync(path).isDirectory();
    const file = isFolder ? packageEntry(path) : path;
    if (file === undefined)
      throw new Error(
        `${join(path, 'package.json')} has no "exports" entry for "." under the import or default condition`,
      );
    return { specifier: pathToFileURL(file).href };
  }
  const found = findPackageEntry(specifier, baseDir);
  if (found.notExported) {
    throw new Error(
      `${found.notExported} has no "exports" entry for "${specifier}" under the import or default condition`,
    );
  }
  if (found.file) return { specifier: pathToFileURL(found.file).href };
  return { specifier, looked: found.looked };
}

/** Whether an import failed because the package itself (not one of its own imports) was not found. */
function packageNotFound(error: unknown, specifier: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(`'${specifier}'`);
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
  let looked: string[] | undefined;
  try {
    const resolved = resolveSpecifier(specifier, baseDir);
    looked = resolved.looked;
    mod = await importModule(resolved.specifier);
  } catch (error) {
    const reason =
      looked && packageNotFound(error, specifier)
        ? `not found in ${looked[0]} nor in the node_modules of any folder above it, nor among TokenPak's own ` +
          `packages (install it next to the config, e.g. npm install ${specifier}, or give a path: package: ./folder)`
        : (error as Error).message;
    throw new ProviderSetupError(
      provider,
      `could not load provider package "${specifier}" for providers.${provider}: ${reason}`,
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
