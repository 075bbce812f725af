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

/**
 * A finder of event ends in one buffer: `(from) => index just past the first event end at or after from`, or
 * -1. Called with growing `from`. For SSE it remembers where each of the three blank-line forms occurs next,
 * and searches again only once `from` has passed it: a form the stream does not use is searched for once per
 * chunk, not once per event (which made a chunk of n events cost n whole-chunk scans).
 */
function endFinder(buffer: Buffer, framing: FramingName): (from: number) => number {
  if (framing === 'ndjson') {
    return (from) => {
      const at = buffer.indexOf(LINE_END, from);
      return at === -1 ? -1 : at + 1;
    };
  }
  if (framing === 'json-array') {
    // An element ends where the next one's `,\r\n` starts (its own leading separator is skipped); the last
    // one keeps the closing `]`.
    return (from) => buffer.indexOf(ARRAY_SEPARATOR, from + 1);
  }
  /** Where each form occurs next (-1: nowhere further); NaN until first searched. */
  const next = [Number.NaN, Number.NaN, Number.NaN];
  return (from) => {
    let best = -1;
    for (let i = 0; i < SSE_ENDS.length; i++) {
      let at = next[i] as number;
      if (Number.isNaN(at) || (at !== -1 && at < from)) {
        at = buffer.indexOf(SSE_ENDS[i] as Buffer, from);
        next[i] = at;
      }
      if (at === -1) continue;
      const end = at + (SSE_ENDS[i] as Buffer).length;
      if (best === -1 || end < best) best = end;
    }
    return best;
  };
}

/** The events of a chunk. */
export function splitEvents(chunk: Uint8Array | string, framing: FramingName): Uint8Array[] {
  const buffer = asBuffer(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
  const out: Uint8Array[] = [];
  const nextEnd = endFinder(buffer, framing);
  let start = 0;
  for (let end = nextEnd(0); end !== -1; end = nextEnd(start)) {
    out.push(buffer.subarray(start, end));
    start = end;
  }
  if (start < buffer.length) out.push(buffer.subarray(start));
  return out;
}

/** The number of whole SSE events in `bytes` (for streams whose events are counted but not numbered). */
export function countSseEvents(bytes: Uint8Array): number {
  const buffer = asBuffer(bytes);
  const nextEnd = endFinder(buffer, 'sse');
  let count = 0;
  for (let end = nextEnd(0); end !== -1; end = nextEnd(end)) count++;
  return count;
}

/** Decimal digits of a positive integer. */
function digitsOf(n: number): number {
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  return digits;
}

const ID_PREFIX = [105, 100, 58, 32]; // `id: `

/**
 * SSE events with `id: <n>` lines added, numbered from `first`; returns the bytes and the next id. Ends of
 * events first, then one allocation and plain copies: no buffer and no string per event (a chunk can hold
 * hundreds of small events, so per-event calls into native code are what it costs).
 */
export function withEventIds(bytes: Uint8Array, first: number): { bytes: Uint8Array; next: number } {
  const buffer = asBuffer(bytes);
  const ends: number[] = [];
  const nextEnd = endFinder(buffer, 'sse');
  let idDigits = 0;
  for (let end = nextEnd(0); end !== -1; end = nextEnd(end)) {
    ends.push(end);
    idDigits += digitsOf(first + ends.length - 1);
  }
  if (ends.length === 0) return { bytes, next: first };
  // `id: ` + digits + `\n` per event.
  const out = Buffer.allocUnsafe(buffer.length + ends.length * 5 + idDigits);
  let at = 0;
  let start = 0;
  let id = first;
  for (const end of ends) {
    for (const byte of ID_PREFIX) out[at++] = byte;
    const digits = digitsOf(id);
    for (let i = digits - 1, rest = id; i >= 0; i--, rest = Math.floor(rest / 10))
      out[at + i] = 48 + (rest % 10);
    at += digits;
    out[at++] = 10;
    id++;
    out.set(buffer.subarray(start, end), at);
    at += end - start;
    start = end;
  }
  if (start < buffer.length) {
    out.set(buffer.subarray(start), at);
    at += buffer.length - start;
  }
  return { bytes: out.subarray(0, at), next: id };
}
