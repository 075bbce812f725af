import type { YAMLError } from 'yaml';
import type { Span } from './source-locator.ts';

/** A YAML syntax error in the user's words, and where it is (byte offsets in the source). */
export interface SyntaxProblem {
  message: string;
  span: Span;
}

/** One source line: where it starts, its text (no newline), and its indentation in spaces. */
interface Line {
  start: number;
  text: string;
  indent: number;
}

function lineAt(text: string, offset: number): Line {
  const start = offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', start);
  if (end === -1) end = text.length;
  const line = text.slice(start, end).replace(/\r$/, '');
  return { start, text: line, indent: line.length - line.replace(/^ +/, '').length };
}

/** Blank lines and comment-only lines carry no indentation that YAML looks at. */
function isContent(line: Line): boolean {
  const rest = line.text.trim();
  return rest !== '' && !rest.startsWith('#');
}

function nextContentLine(text: string, after: Line): Line | undefined {
  let start = after.start + after.text.length;
  for (;;) {
    const newline = text.indexOf('\n', start);
    if (newline === -1) return undefined;
    const line = lineAt(text, newline + 1);
    if (isContent(line)) return line;
    start = newline + 1;
  }
}

function previousContentLine(text: string, before: Line): Line | undefined {
  let start = before.start;
  while (start > 0) {
    const line = lineAt(text, start - 1);
    if (isContent(line)) return line;
    start = line.start;
  }
  return undefined;
}

function spaces(n: number): string {
  return `${n} space${n === 1 ? '' : 's'}`;
}

/** Span from a line's first non-space character to its end. */
function textOf(line: Line): Span {
  return { start: line.start + line.indent, end: line.start + line.text.length };
}

function indentation(line: Line, above: Line): SyntaxProblem {
  const detail = `(${spaces(line.indent)}, the line above has ${above.indent})`;
  const message =
    line.indent > above.indent
      ? `bad indentation: this line is indented more than the one above ${detail}; keys of one mapping must start in the same column`
      : line.indent < above.indent
        ? `bad indentation: this line is indented less than the one above ${detail} and lines up with no key above it`
        : 'bad indentation: this line does not line up with the entries around it';
  return { message, span: textOf(line) };
}

/**
 * An unquoted `${VAR}` inside `{ }` or `[ ]` on this line: in a flow collection `{` and `}` are
 * YAML syntax, so the reference breaks the line into pieces.
 */
function unquotedReferenceInFlow(line: Line): SyntaxProblem | undefined {
  const pattern = /\$\{[^}\s]*\}?/g;
  for (const match of line.text.matchAll(pattern)) {
    const before = line.text.slice(0, match.index);
    const opener = Math.max(before.lastIndexOf('{'), before.lastIndexOf('['));
    if (opener === -1 || /["']\s*$/.test(before)) continue;
    const brackets = line.text[opener] === '{' ? '{ }' : '[ ]';
    const reference = match[0];
    const start = line.start + match.index;
    return {
      message: `${reference} inside ${brackets} must be quoted: "${reference}"`,
      span: { start, end: start + reference.length },
    };
  }
  return undefined;
}

/** The last line before `offset` that opens `open` more often than it closes it. */
function unclosedOpener(text: string, offset: number, open: string, close: string): Line | undefined {
  let line: Line | undefined = lineAt(text, offset);
  if (line.start >= offset) line = previousContentLine(text, line);
  for (; line; line = previousContentLine(text, line)) {
    const opens = line.text.split(open).length - 1;
    const closes = close === open ? 0 : line.text.split(close).length - 1;
    if (close === open ? opens % 2 === 1 : opens > closes) return line;
  }
  return undefined;
}

function snippet(text: string, span: Span): string {
  const raw = text.slice(span.start, Math.max(span.end, span.start + 1)).split('\n')[0]!;
  return raw.length > 20 ? `${raw.slice(0, 17)}...` : raw;
}

/**
 * Turns yaml's error (code and message) into words a config author knows, at the place to fix:
 * an indentation mistake is reported on the line that is off, with both indentations.
 */
export function describeSyntaxError(error: YAMLError, text: string): SyntaxProblem {
  const span: Span = { start: error.pos[0], end: error.pos[1] };
  const line = lineAt(text, span.start);
  const yamlSays = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  const fallback: SyntaxProblem = {
    message: `YAML syntax: ${yamlSays.charAt(0).toLowerCase()}${yamlSays.slice(1)}`,
    span,
  };

  const reference = unquotedReferenceInFlow(line);
  if (reference) return reference;

  switch (error.code) {
    case 'TAB_AS_INDENT':
      return { message: 'tabs are not allowed as indentation: indent with spaces', span };
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY': {
      // `enabled: true` then `   buffer_tokens: 5` one space deeper: YAML reads the deeper line as
      // the rest of `true`, and a value cannot hold `key: value`.
      const next = nextContentLine(text, line);
      if (next && next.indent > line.indent) return indentation(next, line);
      if (error.code === 'BLOCK_AS_IMPLICIT_KEY') {
        return {
          message: "a plain value cannot contain ': ' (colon and space): put the value in quotes",
          span,
        };
      }
      const key = line.text.trim();
      if (!key.includes(': ') && !key.endsWith(':')) {
        return { message: `'${key}' needs a ':' after it (key: value)`, span: textOf(line) };
      }
      return { message: "a key must fit on one line and end with ':'", span };
    }
    case 'BAD_INDENT': {
      if (/^Flow (map|sequence)/.test(yamlSays)) {
        const map = yamlSays.startsWith('Flow map');
        const opener = unclosedOpener(text, span.start, map ? '{' : '[', map ? '}' : ']');
        const what = map ? 'this { } mapping' : 'this [ ] list';
        const close = map ? '}' : ']';
        if (opener) {
          const at = opener.start + opener.text.lastIndexOf(map ? '{' : '[');
          return { message: `${what} is not closed: end it with ${close}`, span: { start: at, end: at + 1 } };
        }
        return {
          message: `a ${map ? '{ } mapping' : '[ ] list'} above is not closed: end it with ${close}`,
          span,
        };
      }
      // yaml may point at a comment or blank line just before the line that is off.
      const off = isContent(line) ? line : nextContentLine(text, line);
      const above = off && previousContentLine(text, off);
      if (off && above && /must start at the same column/.test(yamlSays)) return indentation(off, above);
      return { ...fallback, message: `bad indentation: ${fallback.message.slice('YAML syntax: '.length)}` };
    }
    case 'MISSING_CHAR': {
      if (/quote/i.test(yamlSays)) {
        const quote = yamlSays.includes("'") ? "'" : '"';
        const opener = unclosedOpener(text, span.start, quote, quote);
        if (opener) {
          const at = opener.start + opener.text.lastIndexOf(quote);
          return {
            message: `this quoted value is not closed: end it with ${quote}`,
            span: { start: at, end: at + 1 },
          };
        }
        return { message: `a quoted value above is not closed: end it with ${quote}`, span };
      }
      if (/Implicit map keys need to be followed by map values/.test(yamlSays)) {
        return { message: `'${snippet(text, span)}' needs a ':' after it (key: value)`, span };
      }
      return fallback;
    }
    case 'UNEXPECTED_TOKEN':
      return { message: `unexpected '${snippet(text, span)}' here`, span };
    case 'BAD_DQ_ESCAPE':
      return {
        message: `invalid escape ${text.slice(span.start, span.start + 2)} in a double-quoted value: use single quotes, or write \\\\ for a backslash`,
        span,
      };
    case 'MULTIPLE_DOCS':
      return { message: 'the file holds more than one YAML document (a second ---): keep one', span };
    default:
      return fallback;
  }
}
