import * as v from 'valibot';
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { deepFreeze } from './deep-freeze.ts';
import { interpolate } from './interpolate.ts';
import type { ConfigIssue, ConfigResult } from './issue.ts';
import { listsWhereMappingsBelong } from './mapping-shape.ts';
import { misplacedSectionMessage, misplacedSections } from './misplaced-sections.ts';
import { configSchema } from './schema/config.ts';
import { schemaIssues } from './schema-issues.ts';
import { rawReferenceChecks, semanticChecks } from './semantic-checks.ts';
import { formatPath, SourceLocator } from './source-locator.ts';
import type { TokenPakConfig } from './types.ts';
import { describeSyntaxError } from './yaml-syntax.ts';

export interface ParseConfigOptions {
  /** Shown in issues (e.g. "config.yaml"). */
  filename?: string;
  /** Variables for `${VAR}`; defaults to process.env. */
  env?: Record<string, string | undefined>;
}

/** Parses, interpolates, validates and checks a YAML config. Never throws on bad input. */
export function parseConfig(text: string, options: ParseConfigOptions = {}): ConfigResult {
  const env = options.env ?? process.env;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, merge: true });
  const at = new SourceLocator(text, lineCounter, doc, options.filename);

  const errors: ConfigIssue[] = yamlErrors(doc.errors, text, at);
  const warnings: ConfigIssue[] = doc.warnings.map((e) => yamlIssue(e, at, 'warning'));
  if (errors.length > 0) return { ok: false, errors, warnings, notes: [] };
  if (doc.contents === null) {
    return {
      ok: false,
      errors: [
        at.issueAt('error', '', 'the config is empty: it needs at least providers and models', undefined),
      ],
      warnings,
      notes: [],
    };
  }

  for (const problem of interpolate(doc, text, env)) {
    errors.push(at.issueAt('error', formatPath(problem.path), problem.message, problem.span));
  }

  const raw: unknown = doc.toJS({ maxAliasCount: 1000 });
  const lists = listsWhereMappingsBelong(raw);
  if (lists.length > 0) {
    for (const path of lists) {
      const name = path.length === 0 ? 'the config' : formatPath(path);
      errors.push(at.issue('error', path, `${name} must be a mapping of keys to values, got a list`));
    }
    return { ok: false, errors, warnings, notes: [] };
  }
  const parsed = v.safeParse(configSchema, raw, { abortPipeEarly: true });
  if (!parsed.success) {
    // A section indented under another one: one error at its key instead of the schema's view of it.
    const misplaced = misplacedSections(raw);
    const inside = misplaced.map(formatPath);
    const belowMisplaced = (path: string) =>
      inside.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
    for (const path of misplaced) {
      errors.push(at.issue('error', path, misplacedSectionMessage(String(path[1])), 'key'));
    }
    errors.push(
      ...schemaIssues(parsed.issues, at).filter((issue) => !belowMisplaced(issue.path)),
      // With providers: misplaced, "no provider named ..." would only repeat the same mistake.
      ...(misplaced.some((path) => path[1] === 'providers') ? [] : rawReferenceChecks(raw, at)),
    );
    errors.sort(byPosition);
    return { ok: false, errors, warnings, notes: [] };
  }
  return finish(parsed.output as TokenPakConfig, errors, warnings, at);
}

/** Shared tail of parseConfig and defaultConfig: semantic checks, split by severity, freeze. */
export function finish(
  config: TokenPakConfig,
  errors: ConfigIssue[],
  warnings: ConfigIssue[],
  at: SourceLocator,
): ConfigResult {
  const notes: ConfigIssue[] = [];
  for (const issue of semanticChecks(config, at)) {
    if (issue.severity === 'error') errors.push(issue);
    else if (issue.severity === 'warning') warnings.push(issue);
    else notes.push(issue);
  }
  errors.sort(byPosition);
  warnings.sort(byPosition);
  notes.sort(byPosition);
  if (errors.length > 0) return { ok: false, errors, warnings, notes };
  return { ok: true, config: deepFreeze(config), warnings, notes };
}

const DUPLICATE = /^Map keys must be unique/;

function isDuplicateKey(error: YAMLError): boolean {
  return error.code === 'DUPLICATE_KEY' || DUPLICATE.test(error.message);
}

/**
 * Duplicate keys (each located at its key path), and the first syntax error only: after it, the
 * parser's reading of the rest is unreliable and its later errors are mostly consequences. A syntax
 * error has no schema path (the structure around it is what is broken): its position and words say it.
 */
function yamlErrors(errors: readonly YAMLError[], text: string, at: SourceLocator): ConfigIssue[] {
  const sorted = [...errors].sort((a, b) => a.pos[0] - b.pos[0]);
  const syntax = sorted.find((e) => !isDuplicateKey(e));
  const out = sorted
    .filter((e) => isDuplicateKey(e) && (!syntax || e.pos[0] < syntax.pos[0]))
    .map((e) => yamlIssue(e, at, 'error'));
  if (syntax) {
    const problem = describeSyntaxError(syntax, text);
    out.push(at.issueAt('error', '', problem.message, problem.span));
  }
  return out;
}

function yamlIssue(error: YAMLError, at: SourceLocator, severity: 'error' | 'warning'): ConfigIssue {
  const span = { start: error.pos[0], end: error.pos[1] };
  const keys = at.keysAt(span.start);
  const path = formatPath(keys);
  if (isDuplicateKey(error)) {
    // The key as written, whole: an alias like gpt-4.1 holds dots of its own.
    const key = String(keys.at(-1) ?? '');
    const what = keys.length === 2 && keys[0] === 'models' ? 'model alias' : 'key';
    return at.issueAt(severity, path, `duplicate ${what} '${key}': each may appear only once`, span);
  }
  const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return at.issueAt(
    severity,
    path,
    `YAML syntax: ${message.charAt(0).toLowerCase()}${message.slice(1)}`,
    span,
  );
}

function byPosition(a: ConfigIssue, b: ConfigIssue): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}
