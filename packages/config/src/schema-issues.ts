import type * as v from 'valibot';
import type { ConfigIssue } from './issue.ts';
import type { PathKey, SourceLocator } from './source-locator.ts';

/** Turns valibot issues into located config issues (one per path: the first one wins). */
export function schemaIssues(issues: readonly v.BaseIssue<unknown>[], locator: SourceLocator): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const path: PathKey[] = (issue.path ?? []).map((item) => item.key as PathKey);
    const unknownKey = issue.expected === 'never';
    const located = locator.issue('error', path, issue.message, unknownKey ? 'key' : 'value');
    const id = `${located.path}\u0000${unknownKey}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(located);
  }
  return out;
}
