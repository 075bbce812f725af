import { type Document, isPair, isScalar, isSeq, type Node, type Scalar, visit } from 'yaml';
import type { PathKey, Span } from './source-locator.ts';

export interface InterpolationProblem {
  path: PathKey[];
  message: string;
  span: Span;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in the string values of a parsed YAML document, in place.
 * `$${` writes a literal `${`. The default is used when VAR is unset or empty; it may not contain `}`.
 * A plain (unquoted) scalar that is exactly one reference becomes a number or boolean when the
 * substituted text is one (`port: ${PORT:-8000}`). Keys are never interpolated.
 */
export function interpolate(
  doc: Document,
  text: string,
  env: Record<string, string | undefined>,
): InterpolationProblem[] {
  const problems: InterpolationProblem[] = [];
  visit(doc, {
    Scalar(key, node, ancestry) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const path = pathOf(ancestry, node);
      const raw = node.range ? text.slice(node.range[0], node.range[1]) : '';
      const base = node.range?.[0] ?? 0;
      let searchFrom = 0;
      const locate = (reference: string): Span => {
        const at = raw.indexOf(reference, searchFrom);
        if (at === -1) return { start: base, end: node.range?.[1] ?? base };
        searchFrom = at + reference.length;
        return { start: base + at, end: base + at + reference.length };
      };
      const value = node.value;
      let out = '';
      let i = 0;
      for (;;) {
        const open = value.indexOf('${', i);
        if (open === -1) break;
        if (open > 0 && value[open - 1] === '$') {
          out += value.slice(i, open - 1) + '${';
          i = open + 2;
          continue;
        }
        const close = value.indexOf('}', open + 2);
        if (close === -1) {
          problems.push({
            path,
            message: "unterminated '${': close it with '}' (write '$${' for a literal)",
            span: locate('${'),
          });
          return;
        }
        const reference = value.slice(open, close + 1);
        const inner = value.slice(open + 2, close);
        const sep = inner.indexOf(':-');
        const name = sep === -1 ? inner : inner.slice(0, sep);
        const fallback = sep === -1 ? undefined : inner.slice(sep + 2);
        if (!NAME.test(name)) {
          problems.push({
            path,
            message: `'${reference}' is not a valid variable reference (use \${NAME} or \${NAME:-default})`,
            span: locate(reference),
          });
          return;
        }
        let replacement = env[name];
        if (replacement === undefined || (fallback !== undefined && replacement === '')) {
          if (fallback === undefined) {
            problems.push({
              path,
              message: `environment variable ${name} is not set (or write \${${name}:-default})`,
              span: locate(reference),
            });
            return;
          }
          replacement = fallback;
        } else {
          locate(reference);
        }
        out += value.slice(i, open) + replacement;
        i = close + 1;
      }
      out += value.slice(i);
      node.value = coerce(node, out, /^\$\{[^}]*\}$/.test(value));
    },
  });
  return problems;
}

function coerce(node: Scalar, value: string, whole: boolean): unknown {
  if (!whole || node.type !== 'PLAIN') return value;
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}

function pathOf(ancestry: readonly unknown[], node: Node): PathKey[] {
  const path: PathKey[] = [];
  let child: unknown = node;
  for (let i = ancestry.length - 1; i >= 0; i--) {
    const parent = ancestry[i];
    if (isPair(parent) && isScalar(parent.key)) path.unshift(String(parent.key.value));
    else if (isSeq(parent)) path.unshift(parent.items.indexOf(child));
    child = parent;
  }
  return path;
}
