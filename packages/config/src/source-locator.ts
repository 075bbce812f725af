import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { ConfigIssue, IssueSeverity } from './issue.ts';

export type PathKey = string | number;

/** Byte span in the source text. */
export interface Span {
  start: number;
  end: number;
}

/** A key that reads unambiguously after a dot: no dots, brackets, quotes or spaces in it. */
const PLAIN_KEY = /^[^.[\]"'\s]+$/;

/**
 * Dotted path as users read it: models.gpt-4.provider, streaming.formats[1]. A key that holds a dot
 * (or brackets, quotes, spaces) is written in brackets and quotes so it is never read as two keys:
 * models["gpt-4.1"].provider.
 */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (!PLAIN_KEY.test(key)) out += `[${JSON.stringify(key)}]`;
    else out += out === '' ? key : `.${key}`;
  }
  return out;
}

function spanOf(node: Node | null | undefined): Span | undefined {
  const range = node?.range;
  return range ? { start: range[0], end: range[1] } : undefined;
}

/** Finds where a config path sits in a parsed YAML document and turns findings into located issues. */
export class SourceLocator {
  constructor(
    private readonly text: string,
    private readonly lineCounter: LineCounter,
    private readonly doc: Document | undefined,
    private readonly file: string | undefined,
  ) {}

  /**
   * The span of the value at `path` (or of its key when `target` is 'key'). When the path does not
   * exist, the key of its deepest existing ancestor, so "missing" errors point at the entry.
   */
  find(path: readonly PathKey[], target: 'value' | 'key' = 'value'): Span | undefined {
    let node: unknown = this.doc?.contents;
    let fallback: Span | undefined = spanOf(node as Node);
    for (let i = 0; i < path.length; i++) {
      const key = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair) return fallback;
        const keySpan = spanOf(pair.key as Node);
        if (last && target === 'key') return keySpan;
        node = pair.value;
        fallback = keySpan ?? fallback;
        if (node == null) return fallback;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
        if (node == null) return fallback;
      } else {
        return fallback;
      }
    }
    return spanOf(node as Node) ?? fallback;
  }

  /** The keys leading to the deepest key or value that contains `offset` ([] when none). */
  keysAt(offset: number): PathKey[] {
    const path: PathKey[] = [];
    let node: unknown = this.doc?.contents;
    const inside = (n: unknown) => {
      const range = (n as Node | null)?.range;
      return range != null && offset >= range[0] && offset <= range[2];
    };
    for (;;) {
      if (isMap(node)) {
        const pair = node.items.find((p) => inside(p.key) || inside(p.value));
        if (!pair || !isScalar(pair.key)) break;
        path.push(String(pair.key.value));
        if (inside(pair.key)) break;
        node = pair.value;
      } else if (isSeq(node)) {
        const index = node.items.findIndex((item) => inside(item));
        if (index === -1) break;
        path.push(index);
        node = node.items[index];
      } else {
        break;
      }
    }
    return path;
  }

  /** Whether the user wrote this path in the file (as opposed to it coming from a default). */
  has(path: readonly PathKey[]): boolean {
    return this.doc?.hasIn(path) ?? false;
  }

  /** The raw source text of the value at `path`, if written. */
  rawText(path: readonly PathKey[]): string | undefined {
    if (!this.has(path)) return undefined;
    const span = this.find(path);
    return span ? this.text.slice(span.start, span.end) : undefined;
  }

  issueAt(severity: IssueSeverity, path: string, message: string, span: Span | undefined): ConfigIssue {
    const issue: ConfigIssue = { severity, path, message };
    if (this.file !== undefined) issue.file = this.file;
    if (span === undefined) return issue;
    const { line, col } = this.lineCounter.linePos(span.start);
    issue.line = line;
    issue.column = col;
    issue.excerpt = this.excerpt(line, col, span);
    return issue;
  }

  issue(
    severity: IssueSeverity,
    path: readonly PathKey[],
    message: string,
    target: 'value' | 'key' = 'value',
  ): ConfigIssue {
    return this.issueAt(severity, formatPath(path), message, this.find(path, target));
  }

  private excerpt(line: number, col: number, span: Span): string {
    const starts = this.lineCounter.lineStarts;
    const lineStart = starts[line - 1] ?? 0;
    let lineEnd = this.text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = this.text.length;
    const source = this.text.slice(lineStart, lineEnd).replace(/\r$/, '');
    const prefix = source.slice(0, col - 1).replace(/[^\t]/g, ' ');
    const width = Math.max(1, Math.min(span.end, lineStart + source.length) - span.start);
    return `${source}\n${prefix}^${'~'.repeat(Math.min(width, 60) - 1)}`;
  }
}
