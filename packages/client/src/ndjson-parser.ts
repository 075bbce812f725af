/**
 * An incremental NDJSON parser: one JSON value per line, lines end in LF (a CR before it is dropped), blank
 * lines are skipped and not counted. `count` is the number of lines handed out so far, which is what a
 * resume sends as `?after=`.
 */
import { parseJson, type StreamEvent } from './events.ts';

export class NdjsonParser {
  private buffer = '';
  /** Lines received so far, over every connection of the stream. */
  count: number;

  constructor(count = 0) {
    this.count = count;
  }

  /** Feeds decoded text; returns the lines it completes, in order. */
  push(text: string): StreamEvent[] {
    const out: StreamEvent[] = [];
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      const line =
        this.buffer.length === 0 ? text.slice(start, newline) : this.buffer + text.slice(start, newline);
      this.buffer = '';
      this.line(line, out);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    if (start < text.length) this.buffer += text.slice(start);
    return out;
  }

  /**
   * The input ended cleanly: a last line without its newline counts when it is a whole JSON value (a cut
   * line is not one, since every line is a JSON object).
   */
  flush(): StreamEvent[] {
    const rest = this.buffer;
    this.buffer = '';
    const out: StreamEvent[] = [];
    if (rest.trim().length > 0 && parseJson(rest) !== undefined) this.line(rest, out);
    return out;
  }

  /** Forgets a partly received line (the connection dropped). */
  reset(): void {
    this.buffer = '';
  }

  private line(raw: string, out: StreamEvent[]): void {
    const line = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (line.trim().length === 0) return;
    this.count++;
    const event: StreamEvent = { data: line };
    const json = parseJson(line);
    if (json !== undefined) event.json = json;
    out.push(event);
  }
}
