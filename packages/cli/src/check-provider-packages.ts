/**
 * The step after the config schema, for `validate-config` and `tokenpak proxy` alike: each provider (every
 * built-in type is a provider package, and `type: custom` is loaded from the config file's folder as the
 * registry does) has its `optionsSchema` run on the entry, each issue reported at the line and column of
 * `providers.<name>.<key>` like every other config error: a misspelt option (`timout_ms`, `apii`) or a bad
 * value (`api: respones`) fails here, not when the proxy starts. A package that cannot be loaded is an error
 * at `providers.<name>.package`.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ConfigIssue, ConfigResult } from '@tokenpak/config';
import {
  builtinProviderPackages,
  type ImportModule,
  loadProviderPackage,
  optionPath,
  ProviderSetupError,
  validateProviderOptions,
} from '@tokenpak/providers';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

type PathKey = string | number;

/** Finds where a path sits in the YAML text, as @tokenpak/config's issues do: line, column, excerpt. */
function createLocator(text: string, file: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const spanOf = (node: unknown) => {
    const range = (node as Node | null | undefined)?.range;
    return range ? { start: range[0], end: range[1] } : undefined;
  };
  /**
   * The value at `path` (its key with `target: 'key'`); when it is not written, the key of its deepest
   * written ancestor.
   */
  const find = (path: readonly PathKey[], target: 'value' | 'key') => {
    let node: unknown = doc.contents;
    let fallback = spanOf(node);
    for (const [i, key] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair) return fallback;
        fallback = spanOf(pair.key) ?? fallback;
        if (target === 'key' && i === path.length - 1) return fallback;
        node = pair.value;
        if (node == null) return fallback;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
        if (node == null) return fallback;
      } else {
        return fallback;
      }
    }
    return spanOf(node) ?? fallback;
  };
  return (path: readonly PathKey[], message: string): ConfigIssue => {
    const [, name = '', ...rest] = path;
    const issue: ConfigIssue = { severity: 'error', path: optionPath(String(name), rest), message, file };
    // An unknown option is a key that should not be there: the caret goes under the key, not its value.
    const span = find(path, message.startsWith('is not an option') ? 'key' : 'value');
    if (!span) return issue;
    const { line, col } = lineCounter.linePos(span.start);
    const lineStart = lineCounter.lineStarts[line - 1] ?? 0;
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const source = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    const prefix = source.slice(0, col - 1).replace(/[^\t]/g, ' ');
    const width = Math.max(1, Math.min(span.end, lineStart + source.length) - span.start);
    issue.line = line;
    issue.column = col;
    issue.excerpt = `${source}\n${prefix}^${'~'.repeat(Math.min(width, 60) - 1)}`;
    return issue;
  };
}

export interface CheckProviderPackagesOptions {
  /** The config file's text (read from `file` when absent). */
  text?: string;
  /** How to import a package (tests); defaults to `import()`. */
  importModule?: ImportModule;
}

/**
 * Adds the provider packages' option errors to a valid result (an invalid one is returned as is: its
 * entries are not known to be complete). Issues name the file as given.
 */
export async function checkProviderPackages(
  result: ConfigResult,
  file: string,
  options: CheckProviderPackagesOptions = {},
): Promise<ConfigResult> {
  if (!result.ok) return result;
  const packaged = Object.entries(result.config.providers).filter(
    ([, entry]) =>
      Object.hasOwn(builtinProviderPackages, entry.type) ||
      (entry.type === 'custom' && typeof entry.package === 'string' && entry.package !== ''),
  );
  if (packaged.length === 0) return result;
  const text = options.text ?? (await readFile(file, 'utf8'));
  const issueAt = createLocator(text, file);
  const baseDir = dirname(resolve(file));
  const errors: ConfigIssue[] = [];
  for (const [name, entry] of packaged) {
    try {
      const pkg = Object.hasOwn(builtinProviderPackages, entry.type)
        ? builtinProviderPackages[entry.type]
        : await loadProviderPackage(name, entry.package as string, baseDir, options.importModule);
      if (!pkg) continue;
      if (!pkg.optionsSchema) continue;
      const checked = await validateProviderOptions(pkg.optionsSchema, entry);
      if (checked.ok) continue;
      for (const issue of checked.issues) {
        errors.push(issueAt(['providers', name, ...issue.path], issue.message));
      }
    } catch (error) {
      const message = error instanceof ProviderSetupError ? error.message : `${(error as Error)?.message}`;
      errors.push(issueAt(['providers', name, 'package'], message));
    }
  }
  if (errors.length === 0) return result;
  // In file order (a schema may report unknown keys before bad values).
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { ok: false, errors, warnings: result.warnings, notes: result.notes };
}
