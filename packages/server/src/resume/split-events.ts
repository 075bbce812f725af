/**
 * A written chunk → its events, for the stream log. Chunks always hold whole events (both paths release whole
 * events only): SSE events end with a blank line (LF LF, CRLF CRLF or CR CR), NDJSON events with a newline.
 */
import type { FramingName } from '../framing/framing.ts';

const LF = 10;
const CR = 13;
const encoder = new TextEncoder();

export function splitEvents(chunk: Uint8Array | string, framing: FramingName): Uint8Array[] {
  const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    let end = -1;
    if (framing === 'ndjson') {
      if (byte === LF) end = i + 1;
    } else if (byte === LF && bytes[i + 1] === LF) end = i + 2;
    else if (byte === CR && bytes[i + 1] === CR) end = i + 2;
    else if (byte === CR && bytes[i + 1] === LF && bytes[i + 2] === CR && bytes[i + 3] === LF) end = i + 4;
    if (end === -1) continue;
    out.push(bytes.subarray(start, end));
    start = end;
    i = end - 1;
  }
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
}

/** SSE events with `id: <n>` lines added, numbered from `first`; returns the bytes and the next id. */
export function withEventIds(bytes: Uint8Array, first: number): { bytes: Uint8Array; next: number } {
  const events = splitEvents(bytes, 'sse');
  if (events.length === 0) return { bytes, next: first };
  const prefixes = events.map((_, i) => encoder.encode(`id: ${first + i}\n`));
  let size = bytes.byteLength;
  for (const prefix of prefixes) size += prefix.byteLength;
  const out = new Uint8Array(size);
  let at = 0;
  for (let i = 0; i < events.length; i++) {
    out.set(prefixes[i] as Uint8Array, at);
    at += (prefixes[i] as Uint8Array).byteLength;
    out.set(events[i] as Uint8Array, at);
    at += (events[i] as Uint8Array).byteLength;
  }
  return { bytes: out, next: first + events.length };
}
