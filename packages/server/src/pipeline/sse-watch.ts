/**
 * Best-effort watching of a same-dialect SSE byte stream that is forwarded untouched: first content (TTFT),
 * usage figures and in-stream errors. It works on bytes: a cheap byte search finds the few events that can
 * matter (content markers until content is seen, then `"usage"` and `error`), and only those events are
 * decoded and read line by line. Only `data:` lines with a usage object are parsed as JSON.
 */
import { type DialectName, ProviderError } from '@tokenpak/providers';
import type { RequestTrace } from './request-trace.ts';

export interface SseWatcher {
  /**
   * Inspects `bytes[0, end)`, which holds whole events only (each ends with a blank line). Returns the
   * `[start, stop)` byte ranges of events to leave out of the forwarded bytes (flattened pairs), if any.
   */
  inspect(bytes: Uint8Array, end: number): number[] | undefined;
}

export interface SseWatcherOptions {
  /**
   * OpenAI: leave out every chunk without choices (`"choices":[]`): the usage-only chunk the proxy always asks
   * OpenAI upstreams for, Azure's `prompt_filter_results` chunk, a trailing moderation chunk. A client that
   * did not ask for usage (`stream_options.include_usage`) must not get them, since client code commonly
   * reads `chunk.choices[0]` of every chunk (the translated path leaves them out too). Usage is still read.
   */
  dropChoicelessChunks?: boolean;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

// Native search stops at every occurrence of a needle's first byte: these start with bytes that are rare in
// SSE JSON (unlike `"` or `e`), and the bytes around a hit are checked afterwards.
/** In `"usage"`: an event that may carry usage (`"usage":null` is skipped without decoding). */
const USAGE = ascii('usage');
/** In `error`: `event: error`, `"type":"error"` and `{"error":…}` all have it (text may too: decoding says no). */
const RROR = ascii('rror');
/** An OpenAI chunk without choices (compact, and as some compatible servers space it). */
const NO_CHOICES = [ascii('choices":[]'), ascii('choices": []')];
const CONTENT_MARKERS: Record<DialectName, Uint8Array[]> = {
  'anthropic-messages': [ascii('"content_block_delta"')],
  'openai-chat': [
    ascii('"content":"'),
    ascii('"tool_calls"'),
    ascii('"reasoning_content":"'),
    ascii('"refusal":"'),
  ],
};

/** Stateless (never given `stream: true`): one for the whole module. */
const utf8 = new TextDecoder();

export type Find = (needle: Uint8Array, from: number, end: number) => number;

interface BufferLike {
  indexOf(value: Uint8Array, byteOffset: number): number;
}
/** Node's Buffer (also in Bun and Deno's Node layer) searches natively; elsewhere a plain loop does. */
const NativeBuffer = (
  globalThis as {
    Buffer?: {
      from(buffer: ArrayBufferLike, offset: number, length: number): BufferLike;
      isBuffer(value: unknown): value is BufferLike;
    };
  }
).Buffer;

/** A byte search over `bytes` (native where Node's Buffer is there). */
export function finderFor(bytes: Uint8Array): Find {
  if (NativeBuffer) {
    // Upstream chunks already are Buffers (undici's): no view to make.
    const view = NativeBuffer.isBuffer(bytes)
      ? bytes
      : NativeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return (needle, from, end) => {
      const at = view.indexOf(needle, from);
      return at === -1 || at + needle.length > end ? -1 : at;
    };
  }
  return (needle, from, end) => indexOfBytes(bytes, needle, from, end);
}

export function createSseWatcher(
  dialect: DialectName,
  trace: RequestTrace,
  provider: string,
  options: SseWatcherOptions = {},
): SseWatcher {
  const contentMarkers = CONTENT_MARKERS[dialect] ?? [];
  const dropChoiceless = options.dropChoicelessChunks === true && dialect === 'openai-chat';
  /** Set by inspectLine when the line just read is a chunk without choices. */
  let choiceless = false;

  const inspectLine = (line: string, errorEventNamed: boolean): boolean => {
    if (line.startsWith('event:')) return line.slice(6).trim() === 'error';
    if (!line.startsWith('data:')) return errorEventNamed;
    const data = line.slice(5);
    if (errorEventNamed || data.includes('"type":"error"') || data.trimStart().startsWith('{"error"')) {
      trace.streamError = new ProviderError({
        type: 'api_error',
        message: 'The upstream reported an error inside the stream.',
        provider,
      });
      return false;
    }
    if (!trace.contentSeen && hasContent(dialect, data)) trace.contentSeen = true;
    if (data.includes('"usage"')) readUsage(dialect, data, trace);
    if (dropChoiceless && (data.includes('"choices":[]') || data.includes('"choices": []')))
      choiceless = true;
    return errorEventNamed;
  };

  /** Reads the lines of the event(s) in `bytes[start, end)`. */
  const inspectEvent = (bytes: Uint8Array, start: number, end: number): boolean => {
    choiceless = false;
    const text = utf8.decode(bytes.subarray(start, end));
    let errorEventNamed = false;
    let from = 0;
    for (;;) {
      const newline = text.indexOf('\n', from);
      const stop = newline === -1 ? text.length : newline;
      let lineEnd = stop;
      if (lineEnd > from && text.charCodeAt(lineEnd - 1) === CR) lineEnd--;
      if (lineEnd > from) errorEventNamed = inspectLine(text.slice(from, lineEnd), errorEventNamed);
      if (newline === -1) return choiceless;
      from = newline + 1;
    }
  };

  /** The first position in [from, end) worth a look, or -1. */
  const nextHit = (find: Find, bytes: Uint8Array, from: number, end: number): number => {
    let hit = -1;
    for (let at = from; ; at += RROR.length) {
      at = find(RROR, at, end);
      if (at === -1) break;
      if (at > from && bytes[at - 1] === 101 /* e */) {
        hit = at - 1;
        break;
      }
    }
    for (let at = from; ; at += USAGE.length) {
      at = find(USAGE, at, hit === -1 ? end : hit);
      if (at === -1) break;
      const after = at + USAGE.length;
      if (
        at > from &&
        bytes[at - 1] === QUOTE &&
        bytes[after] === QUOTE &&
        !isNullAfter(bytes, after + 1, end)
      ) {
        hit = at - 1;
        break;
      }
    }
    if (dropChoiceless) {
      for (const marker of NO_CHOICES) {
        const found = find(marker, from, hit === -1 ? end : hit);
        if (found !== -1) hit = found;
      }
    }
    if (!trace.contentSeen) {
      for (const marker of contentMarkers) {
        const found = find(marker, from, hit === -1 ? end : hit);
        if (found !== -1) hit = found;
      }
    }
    return hit;
  };

  return {
    inspect(bytes, end) {
      if (end === 0) return undefined;
      const find = finderFor(bytes);
      let drop: number[] | undefined;
      let from = 0;
      while (from < end) {
        const hit = nextHit(find, bytes, from, end);
        if (hit === -1) break;
        const stop = eventEnd(bytes, hit, end);
        const start = Math.max(from, eventStart(bytes, hit));
        if (inspectEvent(bytes, start, stop)) {
          drop ??= [];
          drop.push(start, stop);
        }
        from = stop;
      }
      return drop;
    },
  };
}

/** `needle` in `bytes[from, end)`, or -1. */
export function indexOfBytes(bytes: Uint8Array, needle: Uint8Array, from: number, end: number): number {
  const first = needle[0] as number;
  const last = end - needle.length;
  let i = from;
  while (i <= last) {
    i = bytes.indexOf(first, i);
    if (i === -1 || i > last) return -1;
    let k = 1;
    while (k < needle.length && bytes[i + k] === needle[k]) k++;
    if (k === needle.length) return i;
    i++;
  }
  return -1;
}

/** Whether `: null` (any spaces) follows at `at`. */
function isNullAfter(bytes: Uint8Array, at: number, end: number): boolean {
  let i = at;
  while (i < end && (bytes[i] === 32 || bytes[i] === 9)) i++;
  if (bytes[i] !== 58) return false; // ':'
  i++;
  while (i < end && (bytes[i] === 32 || bytes[i] === 9)) i++;
  return bytes[i] === 110 && bytes[i + 1] === 117 && bytes[i + 2] === 108 && bytes[i + 3] === 108; // null
}

/** Start of the event holding `at`: just past the blank line before it, or 0. */
function eventStart(bytes: Uint8Array, at: number): number {
  for (let i = at - 1; i >= 1; i--) {
    const byte = bytes[i];
    if (byte !== LF && byte !== CR) continue;
    const prev = bytes[i - 1];
    if (byte === LF && (prev === LF || (prev === CR && i >= 2 && bytes[i - 2] === LF))) return i + 1;
    if (byte === CR && prev === CR) return i + 1;
  }
  return 0;
}

/** End of the event holding `at`: just past the blank line after it, or `end`. */
function eventEnd(bytes: Uint8Array, at: number, end: number): number {
  for (let i = at; i < end - 1; i++) {
    const byte = bytes[i];
    if (byte !== LF && byte !== CR) continue;
    const next = bytes[i + 1];
    if (byte === LF && next === LF) return i + 2;
    if (byte === CR && next === CR) return i + 2;
    if (byte === CR && next === LF && bytes[i + 2] === CR && bytes[i + 3] === LF) return Math.min(i + 4, end);
  }
  return end;
}

function hasContent(dialect: DialectName, data: string): boolean {
  if (dialect === 'anthropic-messages') return data.includes('"content_block_delta"');
  return (
    (data.includes('"content":"') && !data.includes('"content":""')) ||
    data.includes('"tool_calls"') ||
    data.includes('"reasoning_content":"') ||
    data.includes('"refusal":"')
  );
}

/** Records the usage figures in `data`. */
function readUsage(dialect: DialectName, data: string, trace: RequestTrace): void {
  let parsed: any;
  try {
    parsed = JSON.parse(data);
  } catch {
    return;
  }
  if (dialect === 'anthropic-messages') {
    const usage = parsed?.type === 'message_start' ? parsed.message?.usage : parsed?.usage;
    if (usage && typeof usage === 'object') {
      if (typeof usage.input_tokens === 'number' && usage.input_tokens > 0)
        trace.tokensIn = usage.input_tokens;
      if (typeof usage.output_tokens === 'number') trace.tokensOut = usage.output_tokens;
    }
    return;
  }
  const usage = parsed?.usage;
  if (usage && typeof usage === 'object') {
    if (typeof usage.prompt_tokens === 'number') trace.tokensIn = usage.prompt_tokens;
    if (typeof usage.completion_tokens === 'number') trace.tokensOut = usage.completion_tokens;
  }
}
