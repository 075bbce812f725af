/**
 * Event boundaries in written chunks, for the stream log. Chunks always hold whole events (both paths release
 * whole events only): SSE events end with a blank line (LF LF, CRLF CRLF or CR CR), NDJSON events with a
 * newline, JSON array elements where the next `,\r\n` starts. The search is native (Buffer.indexOf), never a loop over the bytes in JavaScript.
 */
import type { FramingName } from '../framing/framing.ts';
import { JSON_ARRAY_SEPARATOR } from '../framing/json-array-encoder.ts';

const encoder = new TextEncoder();
const SSE_ENDS = [Buffer.from('\n\n'), Buffer.from('\r\n\r\n'), Buffer.from('\r\r')];
const LINE_END = Buffer.from('\n');
const ARRAY_SEPARATOR = Buffer.from(JSON_ARRAY_SEPARATOR);

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Index just past the first event end at or after `from`, or -1. */
function nextEnd(buffer: Buffer, from: number, framing: FramingName): number {
  if (framing === 'ndjson') {
    const at = buffer.indexOf(LINE_END, from);
    return at === -1 ? -1 : at + 1;
  }
  if (framing === 'json-array') {
    // An element ends where the next one's `,\r\n` starts (its own leading separator is skipped); the last
    // one keeps the closing `]`.
    const at = buffer.indexOf(ARRAY_SEPARATOR, from + 1);
    return at === -1 ? -1 : at;
  }
  let best = -1;
  for (const end of SSE_ENDS) {
    const at = buffer.indexOf(end, from);
    if (at !== -1 && (best === -1 || at + end.length < best)) best = at + end.length;
  }
  return best;
}

/** The events of a chunk. */
export function splitEvents(chunk: Uint8Array | string, framing: FramingName): Uint8Array[] {
  const buffer = asBuffer(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
  const out: Uint8Array[] = [];
  let start = 0;
  for (let end = nextEnd(buffer, 0, framing); end !== -1; end = nextEnd(buffer, start, framing)) {
    out.push(buffer.subarray(start, end));
    start = end;
  }
  if (start < buffer.length) out.push(buffer.subarray(start));
  return out;
}

/** The number of whole SSE events in `bytes` (for streams whose events are counted but not numbered). */
export function countSseEvents(bytes: Uint8Array): number {
  const buffer = asBuffer(bytes);
  let count = 0;
  for (let end = nextEnd(buffer, 0, 'sse'); end !== -1; end = nextEnd(buffer, end, 'sse')) count++;
  return count;
}

/** SSE events with `id: <n>` lines added, numbered from `first`; returns the bytes and the next id. */
export function withEventIds(bytes: Uint8Array, first: number): { bytes: Uint8Array; next: number } {
  const buffer = asBuffer(bytes);
  // Ends of events first, then one allocation and plain copies: no buffer per event.
  const ends: number[] = [];
  let idDigits = 0;
  for (let end = nextEnd(buffer, 0, 'sse'); end !== -1; end = nextEnd(buffer, end, 'sse')) {
    ends.push(end);
    idDigits += String(first + ends.length - 1).length;
  }
  if (ends.length === 0) return { bytes, next: first };
  // `id: ` + digits + `\n` per event.
  const out = Buffer.allocUnsafe(buffer.length + ends.length * 5 + idDigits);
  let at = 0;
  let start = 0;
  let id = first;
  for (const end of ends) {
    at += out.write(`id: ${id++}\n`, at, 'latin1');
    at += buffer.copy(out, at, start, end);
    start = end;
  }
  if (start < buffer.length) at += buffer.copy(out, at, start, buffer.length);
  return { bytes: out.subarray(0, at), next: id };
}
