import type * as v from 'valibot';
import { suggestion } from '../did-you-mean.ts';

type Issue = v.BaseIssue<unknown>;

/** A short, quoted rendering of a value a user wrote. */
export function describe(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 37)}...` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

/** Message for a value of the wrong type, or for a required value that is missing. */
export function expected(what: string) {
  return (issue: Issue): string =>
    issue.input === undefined ? `is required (${what})` : `expected ${what}, got ${describe(issue.input)}`;
}

export function atLeast(min: number) {
  return (issue: Issue): string => `must be at least ${min}, got ${describe(issue.input)}`;
}

export function atMost(max: number) {
  return (issue: Issue): string => `must be at most ${max}, got ${describe(issue.input)}`;
}

/** Message for a value outside a fixed list, with a did-you-mean for strings. */
export function oneOf(what: string, options: readonly string[]) {
  return (issue: Issue): string => {
    const list = options.map((o) => `'${o}'`).join(', ');
    if (issue.input === undefined) return `is required (${what}: one of ${list})`;
    if (typeof issue.input !== 'string')
      return `expected ${what} (one of ${list}), got ${describe(issue.input)}`;
    return `unknown ${what} ${describe(issue.input)}${suggestion(issue.input, options)}; expected one of ${list}`;
  };
}

/**
 * Message for a section (a mapping): a missing required key (`required` says what belongs there),
 * an unknown key in a strict section (with did-you-mean over the section's keys), or a value
 * that is not a mapping at all. Key-level issues carry their key in `issue.path` when created.
 */
export function section(name: string, keys: readonly string[], required: Record<string, string> = {}) {
  return (issue: Issue): string => {
    const key = issue.path?.at(-1)?.key;
    if (issue.expected === 'never') {
      const unknown = String(key ?? issue.received);
      const hint = suggestion(unknown, keys);
      return hint
        ? `unknown key '${unknown}'${hint}`
        : `unknown key '${unknown}' (${name} accepts: ${keys.join(', ')})`;
    }
    if (key !== undefined && issue.input === undefined) {
      return `is required (${required[String(key)] ?? String(key)})`;
    }
    return issue.input === undefined
      ? `is required (${name})`
      : `${name} must be a mapping of keys to values, got ${describe(issue.input)}`;
  };
}
