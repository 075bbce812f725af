/**
 * Upstream bytes → one parsed JSON value per line (NDJSON, e.g. Ollama's streams). Lines may be split across
 * chunks anywhere, even inside a UTF-8 character; `\n` and `\r\n` both end a line; blank lines are skipped;
 * a last line without a newline still counts. A line that is not JSON throws an `NdjsonLineError` naming
 * the line (after the values of the lines before it have been handed out).
 */

/** A line of the input that is not JSON. `line` counts from 1, blank lines included. */
export class NdjsonLineError extends Error {
  override readonly name = 'NdjsonLineError';
  readonly line: number;
  /** The line (without its line ending), cut to 200 characters. */
  readonly text: string;

  constructor(line: number, text: string, cause: unknown) {
    const sample = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    super(`line ${line} is not JSON: ${sample}`, { cause });
    this.line = line;
    this.text = sample;
  }
}

export interface NdjsonParser {
  /** Feeds the next chunk; values of its complete lines go to `onValue`. Throws `NdjsonLineError`. */
  feed(chunk: Uint8Array): void;
  /** The input is over: parses a last line that has no newline. Throws `NdjsonLineError`. */
  end(): void;
}

/** A push parser: `onValue(value, line)` for every JSON line, in order. */
export function createNdjsonParser(onValue: (value: unknown, line: number) => void): NdjsonParser {
  const decoder = new TextDecoder();
  /** Text not parsed yet. */
  let buffer = '';
  /** How much of `buffer` is known to hold no newline. */
  let scanned = 0;
  let line = 0;

  const parseLine = (raw: string): void => {
    line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new NdjsonLineError(line, text, cause);
    }
    onValue(value, line);
  };

  const take = (text: string): void => {
    // Search only the text not yet searched. The buffer is updated before each line is parsed, so that after
    // an NdjsonLineError the parser goes on with the next line.
    buffer += text;
    for (;;) {
      const newline = buffer.indexOf('\n', scanned);
      if (newline === -1) {
        scanned = buffer.length;
        return;
      }
      const raw = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      scanned = 0;
      parseLine(raw);
    }
  };

  return {
    feed(chunk) {
      take(decoder.decode(chunk, { stream: true }));
    },
    end() {
      take(decoder.decode());
      const rest = buffer;
      buffer = '';
      scanned = 0;
      if (rest !== '') parseLine(rest);
    },
  };
}

/** Pipes a byte stream through NDJSON parsing: one value per JSON line. The stream errors on a bad line. */
export function parseNdjson(bytes: ReadableStream<Uint8Array>): ReadableStream<unknown> {
  let parser: NdjsonParser;
  return bytes.pipeThrough(
    new TransformStream<Uint8Array, unknown>({
      start(controller) {
        parser = createNdjsonParser((value) => controller.enqueue(value));
      },
      transform(chunk) {
        parser.feed(chunk);
      },
      flush() {
        parser.end();
      },
    }),
  );
}
