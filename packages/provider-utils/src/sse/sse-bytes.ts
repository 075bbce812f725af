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
