/**
 * Where a provider package's module is, resolved the way Node's ESM loader would (conditions `import`, `node`,
 * `default`), but from a folder of our choosing: `import()` resolves bare names from TokenPak's own files only,
 * and `require.resolve` needs a `require` or `default` condition that ESM-only packages do not have.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const CONDITIONS = new Set(['import', 'node', 'default']);

/** The target of an `exports` value under our conditions (in the object's key order, as Node does). */
function conditionTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const target = conditionTarget(item);
      if (target !== undefined) return target;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, next] of Object.entries(value)) {
    if (!CONDITIONS.has(key)) continue;
    const target = conditionTarget(next);
    if (target !== undefined) return target;
  }
  return undefined;
}

/** `exports` for one subpath (`.` or `./x`): exact keys, then one-`*` patterns. */
function exportsTarget(exports: unknown, subpath: string): string | undefined {
  const isMap =
    exports !== null &&
    typeof exports === 'object' &&
    !Array.isArray(exports) &&
    Object.keys(exports).some((key) => key.startsWith('.'));
  if (!isMap) return subpath === '.' ? conditionTarget(exports) : undefined;
  const map = exports as Record<string, unknown>;
  if (subpath in map) return conditionTarget(map[subpath]);
  for (const [key, value] of Object.entries(map)) {
    const star = key.indexOf('*');
    if (star === -1) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= key.length - 1) {
      const match = subpath.slice(prefix.length, subpath.length - suffix.length);
      return conditionTarget(value)?.replaceAll('*', match);
    }
  }
  return undefined;
}

/**
 * The entry file of a package folder for `subpath` (`.` by default): its package.json's `exports`, else `main`
 * (for `.`) or the subpath as a file, else index.js. Undefined when `exports` does not export the subpath.
 */
export function packageEntry(dir: string, subpath = '.'): string | undefined {
  const manifest = join(dir, 'package.json');
  if (existsSync(manifest)) {
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown; main?: unknown };
    if (pkg.exports !== undefined) {
      const target = exportsTarget(pkg.exports, subpath);
      return target === undefined ? undefined : resolve(dir, target);
    }
    if (subpath === '.' && typeof pkg.main === 'string') return resolve(dir, pkg.main);
  }
  return subpath === '.' ? join(dir, 'index.js') : resolve(dir, subpath);
}

/** `@scope/name/sub` → `['@scope/name', './sub']`; `name` → `['name', '.']`. */
function splitName(specifier: string): [string, string] {
  const parts = specifier.split('/');
  const length = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(length).join('/');
  return [parts.slice(0, length).join('/'), rest === '' ? '.' : `./${rest}`];
}

export interface PackageLookup {
  /** The module file, when the package was found and exports the subpath. */
  file?: string;
  /** The `node_modules` folders looked in, nearest first. */
  looked: string[];
  /** Set when the package was found but its `exports` has no entry for the subpath under import/node/default. */
  notExported?: string;
}

/** Finds a package by name in `baseDir/node_modules`, then in each parent folder's, as Node would. */
export function findPackageEntry(specifier: string, baseDir: string): PackageLookup {
  const [name, subpath] = splitName(specifier);
  const looked: string[] = [];
  let dir = resolve(baseDir);
  for (;;) {
    const nodeModules = join(dir, 'node_modules');
    looked.push(nodeModules);
    const folder = join(nodeModules, name);
    if (existsSync(folder)) {
      const file = packageEntry(folder, subpath);
      if (file !== undefined) return { file, looked };
      return { looked, notExported: join(folder, 'package.json') };
    }
    const parent = dirname(dir);
    if (parent === dir) return { looked };
    dir = parent;
  }
}
