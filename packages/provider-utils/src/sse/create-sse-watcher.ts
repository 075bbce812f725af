/**
 * A passthrough watcher for an SSE dialect, from the dialect's rules. It works on bytes: a cheap byte search
 * finds the few events that can matter (the content markers until content is seen, then events with a
 * non-null usage key, `error`, the drop markers), and only those events are decoded and handed to the
 * dialect's `readEvent`. The terminal markers are searched for until one is seen. When asked, the model's
 * name is rewritten in place (`"model":"<upstream id>"` → `"model":"<alias>"`), a byte replacement with no
 * JSON work.
 *
 * Every event's data is checked to be JSON-shaped (`firstNonJsonEvent`, a structural byte check): the first
 * event that is not is left out with everything after it, and the watcher stops with the dialect's error.
 */
import {
  type PassthroughWatcher,
  type PassthroughWatcherOptions,
  ProviderError,
  type StreamReport,
  type Usage,
} from '@tokenpak/provider';
import { ascii, eventEnd, eventStart, type Find, finderFor, firstNonJsonEvent } from './sse-bytes.ts';

/** What one watched event showed. */
export interface SseEventFacts {
  /** It carries content (text, tool call, reasoning, refusal). */
  content?: boolean;
  /** The upstream reported an error in it. */
  error?: ProviderError;
  /** Leave it out of the forwarded bytes. */
  drop?: boolean;
}

/** What a dialect tells the watcher about its SSE stream. Built fresh per stream (it may keep state). */
export interface SseWatchRules {
  /** Byte strings that may mean content, searched until content is seen (then the event is read). */
  contentMarkers: readonly string[];
  /** Byte strings that show the stream finished (`[DONE]`, `message_stop`...). */
  finishMarkers: readonly string[];
  /** JSON keys whose non-null value is usage (`usage`): an event holding one is read. */
  usageKeys: readonly string[];
  /** JSON keys that name the model in events (`model`): rewritten when the watcher is asked to rename it. */
  modelKeys?: readonly string[];
  /** Byte strings of events that may be left out; searched only when given. */
  dropMarkers?: readonly string[];
  /**
   * Reads one candidate event: its `event:` name and its `data:` lines joined by a newline. Events that hold
   * `error` anywhere are candidates too: the dialect decides whether they are errors.
   */
  readEvent(name: string | undefined, data: string): SseEventFacts | undefined;
  /** The usage read so far, in canonical terms (the dialect's own usage mapper). */
  usage(): Usage;
  /** The error for a stream cut before its terminal marker, worded as the dialect's decoder words it. */
  unfinishedError(): ProviderError;
  /**
   * The error for an event whose data is not JSON (its `event:` name and its data), worded as the dialect's
   * decoder words it. Default: a `bad_upstream` error, "upstream sent an event that is not JSON: <data>".
   */
  notJsonError?(name: string | undefined, data: string): ProviderError;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const BACKSLASH = 92;
/** In `error`: `event: error`, `"type":"error"` and `{"error":…}` all have it. Starts with a rare byte. */
const RROR = ascii('rror');
/** Stateless (never given `stream: true`): one for the whole module. */
const utf8 = new TextDecoder();
const EMPTY = new Uint8Array(0);

export function createSseWatcher(
  rules: SseWatchRules,
  options?: PassthroughWatcherOptions,
): PassthroughWatcher {
  const alias = options?.rename?.to;
  /** `"model":"` and `"model": "`: the start of a model name, compact and spaced as upstreams write JSON. */
  const modelNeedles =
    alias === undefined
      ? []
      : (rules.modelKeys ?? []).flatMap((key) => [ascii(`"${key}":"`), ascii(`"${key}": "`)]);
  /** The alias as the inside of a JSON string, with the closing quote. */
  const aliasValue =
    alias === undefined ? undefined : new TextEncoder().encode(JSON.stringify(alias).slice(1));
  const contentMarkers = rules.contentMarkers.map(ascii);
  const finishMarkers = rules.finishMarkers.map(ascii);
  const usageKeys = rules.usageKeys.map(ascii);
  const dropMarkers = rules.dropMarkers?.map(ascii);
  let contentSeen = false;
  let finished = false;
  let error: ProviderError | undefined;
  /** Set at the first event that is not JSON: nothing is forwarded from it on. */
  let stopped: ProviderError | undefined;
  const notJson = (bytes: Uint8Array, start: number, stop: number): ProviderError => {
    const { name, data = '' } = fieldsOf(bytes, start, stop);
    const made = rules.notJsonError
      ? rules.notJsonError(name, data)
      : new ProviderError({
          type: 'bad_upstream',
          message: `upstream sent an event that is not JSON: ${data.slice(0, 200)}`,
        });
    return made.provider === undefined && options ? made.with({ provider: options.provider }) : made;
  };

  /** Reads the lines of the event in `bytes[start, end)`; returns whether to drop it. */
  const readEvent = (bytes: Uint8Array, start: number, end: number): boolean => {
    const { name, data } = fieldsOf(bytes, start, end);
    if (data === undefined && name === undefined) return false;
    const facts = rules.readEvent(name, data ?? '');
    if (!facts) return false;
    if (facts.content) contentSeen = true;
    if (facts.error && !error) error = facts.error;
    return facts.drop === true;
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
    for (const key of usageKeys) {
      for (let at = from; ; at += key.length) {
        at = find(key, at, hit === -1 ? end : hit);
        if (at === -1) break;
        const after = at + key.length;
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
    }
    if (dropMarkers) {
      for (const marker of dropMarkers) {
        const found = find(marker, from, hit === -1 ? end : hit);
        if (found !== -1) hit = found;
      }
    }
    if (!contentSeen) {
      for (const marker of contentMarkers) {
        const found = find(marker, from, hit === -1 ? end : hit);
        if (found !== -1) hit = found;
      }
    }
    return hit;
  };

  return {
    inspect(bytes, whole) {
      if (stopped) return EMPTY;
      if (whole === 0) return undefined;
      const find = finderFor(bytes);
      let end = whole;
      const bad = firstNonJsonEvent(bytes, whole, find);
      if (bad) {
        stopped = notJson(bytes, bad.start, bad.stop);
        error ??= stopped;
        end = bad.start;
      }
      if (!finished) {
        for (const marker of finishMarkers) {
          if (find(marker, 0, end) !== -1) {
            finished = true;
            break;
          }
        }
      }
      let edits: Edit[] | undefined;
      let from = 0;
      while (from < end) {
        const hit = nextHit(find, bytes, from, end);
        if (hit === -1) break;
        const stop = eventEnd(bytes, hit, end);
        const start = Math.max(from, eventStart(bytes, hit));
        if (readEvent(bytes, start, stop)) {
          edits ??= [];
          edits.push({ start, stop });
        }
        from = stop;
      }
      if (aliasValue) {
        for (const needle of modelNeedles) {
          for (let at = find(needle, 0, end); at !== -1; at = find(needle, at + needle.length, end)) {
            const start = at + needle.length;
            const stop = closingQuote(bytes, start, end);
            if (stop === -1 || sameBytes(bytes, start, stop + 1, aliasValue)) continue;
            const dropped = edits?.some((e) => e.replacement === undefined && e.start <= at && stop < e.stop);
            if (dropped) continue;
            edits ??= [];
            edits.push({ start, stop: stop + 1, replacement: aliasValue });
          }
        }
      }
      if (edits) return applyEdits(bytes, end, edits);
      return end === whole ? undefined : bytes.subarray(0, end);
    },
    contentSeen: () => contentSeen,
    report(): StreamReport {
      return { contentSeen, finished, usage: rules.usage(), ...(error && { error }) };
    },
    unfinishedError: () => rules.unfinishedError(),
    stopped: () => stopped,
  };
}

/** The `event:` name and the `data:` lines (joined by a newline) of the event in `bytes[start, end)`. */
function fieldsOf(
  bytes: Uint8Array,
  start: number,
  end: number,
): { name: string | undefined; data: string | undefined } {
  const text = utf8.decode(bytes.subarray(start, end));
  let name: string | undefined;
  let data: string | undefined;
  let from = 0;
  for (;;) {
    const newline = text.indexOf('\n', from);
    const stop = newline === -1 ? text.length : newline;
    let lineEnd = stop;
    if (lineEnd > from && text.charCodeAt(lineEnd - 1) === CR) lineEnd--;
    if (lineEnd > from) {
      const line = text.slice(from, lineEnd);
      if (line.startsWith('data:')) {
        const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
        data = data === undefined ? value : `${data}\n${value}`;
      } else if (line.startsWith('event:')) name = line.slice(6).trim();
    }
    if (newline === -1) break;
    from = newline + 1;
  }
  return { name, data };
}

/** The index of the quote that closes the JSON string starting at `from`, or -1. */
function closingQuote(bytes: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const byte = bytes[i];
    if (byte === QUOTE) return i;
    if (byte === BACKSLASH) i++;
    else if (byte === LF || byte === CR) return -1;
  }
  return -1;
}

function sameBytes(bytes: Uint8Array, start: number, stop: number, other: Uint8Array): boolean {
  if (stop - start !== other.byteLength) return false;
  for (let i = 0; i < other.byteLength; i++) if (bytes[start + i] !== other[i]) return false;
  return true;
}

/** `[start, stop)` of the bytes replaced by `replacement`, or left out when there is none. */
interface Edit {
  start: number;
  stop: number;
  replacement?: Uint8Array;
}

/** `bytes[0, end)` with the edits made (they never overlap). */
function applyEdits(bytes: Uint8Array, end: number, edits: Edit[]): Uint8Array {
  edits.sort((a, b) => a.start - b.start);
  let size = end;
  for (const edit of edits) size += (edit.replacement?.byteLength ?? 0) - (edit.stop - edit.start);
  const out = new Uint8Array(size);
  let at = 0;
  let from = 0;
  for (const edit of edits) {
    out.set(bytes.subarray(from, edit.start), at);
    at += edit.start - from;
    if (edit.replacement) {
      out.set(edit.replacement, at);
      at += edit.replacement.byteLength;
    }
    from = edit.stop;
  }
  out.set(bytes.subarray(from, end), at);
  return out;
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
