import type { ConfigIssue } from './issue.ts';

const RED = '\u001b[31m';
const YELLOW = '\u001b[33m';
const CYAN = '\u001b[36m';
const DIM = '\u001b[2m';
const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

/**
 * `config.yaml:12:15: models.gpt-4.provider: no provider named 'opnai' (did you mean 'openai'?)`
 * followed, when known, by the source line and a caret line (each indented with a line-number gutter).
 */
export function formatIssue(issue: ConfigIssue, options: { color?: boolean } = {}): string {
  const color = options.color === true;
  const paint = (code: string, s: string) => (color ? `${code}${s}${RESET}` : s);
  let where = issue.file ?? '';
  if (issue.line !== undefined) where += `${where ? ':' : ''}${issue.line}:${issue.column ?? 1}`;
  const head = [where && paint(BOLD, where), issue.path && paint(CYAN, issue.path), issue.message]
    .filter(Boolean)
    .join(': ');
  if (!issue.excerpt || issue.line === undefined) return head;
  const number = String(issue.line);
  const gutter = ' '.repeat(number.length);
  const [source = '', caret = ''] = issue.excerpt.split('\n');
  const mark = issue.severity === 'error' ? RED : issue.severity === 'warning' ? YELLOW : CYAN;
  return [
    head,
    `${paint(DIM, ` ${number} |`)} ${source}`,
    `${paint(DIM, ` ${gutter} |`)} ${paint(mark, caret)}`,
  ].join('\n');
}
