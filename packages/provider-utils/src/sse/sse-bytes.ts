/**
 * Byte-level SSE helpers for streams that are forwarded untouched: event boundaries (a blank line: LF LF,
 * CR CR or CRLF CRLF) and fast byte search, so that a watcher decodes only the few events that matter.
 */
const LF = 10;
const CR = 13;

const asciiCache = new Map<string, Uint8Array>();
/** `text` as bytes (ASCII only): needles for `finderFor`. Shared: never write into them. */
export const ascii = (text: string): Uint8Array => {
  let bytes = asciiCache.get(text);
  if (bytes === undefined) {
    bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
    // Markers are a handful of constants per dialect, made for every stream: made once, shared (read only).
    if (asciiCache.size < 1024) asciiCache.set(text, bytes);
  }
  return bytes;
};

/** Finds `needle` in `[from, end)` of the bytes it was made for, or -1. */
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

/** Index just past the last event boundary (blank line) in `bytes`, or 0 when there is none. */
export function lastEventBoundary(bytes: Uint8Array): number {
  for (let i = bytes.length - 1; i >= 1; i--) {
    if (bytes[i] !== LF && bytes[i] !== CR) continue;
    const prev = bytes[i - 1];
    if (bytes[i] === LF && (prev === LF || (prev === CR && i >= 2 && bytes[i - 2] === LF))) return i + 1;
    if (bytes[i] === CR && prev === CR) return i + 1;
  }
  return 0;
}

/** Start of the event holding `at`: just past the blank line before it, or 0. */
export function eventStart(bytes: Uint8Array, at: number): number {
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
export function eventEnd(bytes: Uint8Array, at: number, end: number): number {
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

const DATA = ascii('data:');
const LF_BYTES = ascii('\n');
const CR_BYTES = ascii('\r');
const SPACE = 32;
const TAB = 9;
const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;

/**
 * The first event in `bytes[0, end)` (whole events only) whose data cannot be JSON: a structural check, no
 * parsing. An event's data (its `data:` lines joined) must start with `{` or `[` and end with `}` or `]`, as
 * every SSE dialect's events and markers (`[DONE]`) do; empty data passes (decoders skip it). Returns where that event starts and ends, or
 * undefined when every event passes.
 */
export function firstNonJsonEvent(
  bytes: Uint8Array,
  end: number,
  find: Find = finderFor(bytes),
): { start: number; stop: number } | undefined {
  /** Whether any CR is there: without one (most streams), lines end at LF alone. */
  const crs = find(CR_BYTES, 0, end) !== -1;
  /** The open event: where its first data line starts, the first byte of its data and the last so far (-1: none). */
  let open = -1;
  let first = -1;
  let last = -1;
  /** Where the open event's last data line ends (its line break). */
  let lineEnd = 0;
  const bad = () => ({ start: eventStart(bytes, open), stop: eventEnd(bytes, open, end) });
  const closes = (): boolean =>
    first === -1 ||
    ((first === OPEN_BRACE || first === OPEN_BRACKET) && (last === CLOSE_BRACE || last === CLOSE_BRACKET));
  for (let at = find(DATA, 0, end); at !== -1; at = find(DATA, at + DATA.length, end)) {
    // A field name starts a line; `data:` anywhere else is inside a value.
    if (at > 0 && bytes[at - 1] !== LF && bytes[at - 1] !== CR) continue;
    let stop = find(LF_BYTES, at, end);
    if (crs) {
      const cr = find(CR_BYTES, at, stop === -1 ? end : stop);
      if (cr !== -1) stop = cr;
    }
    if (stop === -1) stop = end;
    if (open !== -1 && blankLineIn(bytes, lineEnd, at)) {
      if (!closes()) return bad();
      open = -1;
    }
    let from = at + DATA.length;
    let to = stop;
    while (from < to && (bytes[from] === SPACE || bytes[from] === TAB)) from++;
    while (to > from && (bytes[to - 1] === SPACE || bytes[to - 1] === TAB)) to--;
    if (open === -1) {
      open = at;
      first = -1;
    }
    if (from < to) {
      if (first === -1) first = bytes[from] as number;
      last = bytes[to - 1] as number;
    }
    lineEnd = stop;
    at = stop - DATA.length;
  }
  if (open !== -1 && !closes()) return bad();
  return undefined;
}

/** Whether `bytes[from, to)`, starting at a line break, holds a blank line. */
function blankLineIn(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to - 1; i++) {
    const byte = bytes[i];
    const next = bytes[i + 1];
    if (byte === LF && (next === LF || (next === CR && bytes[i + 2] === LF))) return true;
    if (byte === CR && next === CR) return true;
  }
  return false;
}
