/**
 * The same-dialect fast path: the upstream's SSE bytes are forwarded untouched, only watched by the dialect's
 * passthrough watcher. Bytes are released up to the last complete event in hand, so that a heartbeat or an
 * error event is never written into the middle of an upstream event. A stream that ends before its dialect's
 * terminal marker ends with the dialect's error event, as on the translated path; so does one in which the
 * watcher met an event it would not forward (not JSON): nothing from that event on is read or forwarded.
 *
 * What the server knows of the bytes is SSE framing only; everything about the dialect's events (content,
 * terminal marker, usage, in-stream errors, events to leave out) is the watcher's.
 */
import type { ByteReader, Dialect, PassthroughWatcher, StreamReport } from '@tokenpak/providers';
import { lastEventBoundary } from '@tokenpak/providers';
import { formatSseData, formatSseEvent } from '../framing/sse-encoder.ts';
import { countSseEvents, withEventIds } from '../resume/split-events.ts';
import type { ChunkSource } from './client-stream.ts';
import type { ByteRedactor } from './redact-bytes.ts';

const LF = 10;
const CR = 13;

function isBlank(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== LF && byte !== CR && byte !== 32 && byte !== 9) return false;
  return true;
}

const CRLF = [CR, LF];
const CR_ONLY = [CR];
const LF_ONLY = [LF];

function concat(a: Uint8Array, b: ArrayLike<number>): Uint8Array {
  // Every byte is written below: no zero-filling (a chunk can be 64 KB, and this runs for most chunks).
  const out = Buffer.allocUnsafe(a.byteLength + b.length);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

export interface BytePipelineOptions {
  /** The dialect both sides speak. */
  dialect: Dialect;
  /** Its passthrough watcher, fresh for this stream. */
  watcher: PassthroughWatcher;
  encoder: TextEncoder;
  /** Masks the configured secrets in every byte written (upstream events and the proxy's own error event). */
  redact: ByteRedactor;
  /** Number every event with an SSE `id:` line (from 1), for resumable streams. */
  eventIds?: boolean;
}

/** `reader`: the raw stream's bytes (`openBytes(raw)`). */
export function bytePipeline(reader: ByteReader, options: BytePipelineOptions): ChunkSource {
  const { dialect, watcher, encoder, redact } = options;
  /** The next SSE id, when events are numbered. */
  let nextId = 1;
  /** Whether the client reads `id:` lines (the @google/genai SDK reads only `data:`): else events are only counted. */
  const ids = dialect.sseEventIds !== false;
  const numbered = (bytes: Uint8Array): Uint8Array => {
    if (!options.eventIds || bytes.byteLength === 0) return bytes;
    if (!ids) {
      nextId += countSseEvents(bytes);
      return bytes;
    }
    const { bytes: out, next } = withEventIds(bytes, nextId);
    nextId = next;
    return out;
  };
  let held: Uint8Array | undefined;
  let ended = false;
  /** Set when finish() gave out the last bytes: the verdict is due on the next call. */
  let lastOut = false;

  /** Watches and releases `bytes[0, boundary)`; keeps the rest. */
  const release = (bytes: Uint8Array, boundary: number): Uint8Array => {
    const changed = boundary > 0 ? watcher.inspect(bytes, boundary) : undefined;
    held = boundary === bytes.length ? undefined : bytes.subarray(boundary);
    return numbered(redact(changed ?? bytes.subarray(0, boundary)));
  };

  /** End of input: the last whole lines still held, completed with the missing blank line; or the verdict. */
  const finish = (): Uint8Array | undefined => {
    ended = true;
    const rest = held;
    held = undefined;
    if (rest !== undefined && !isBlank(rest)) {
      const last = rest[rest.byteLength - 1];
      // Only whole lines: the last event lacks just its blank line. A partial line is a cut event: left out.
      if (last === LF || last === CR) {
        const completed = concat(
          rest,
          last === CR ? CR_ONLY : rest[rest.byteLength - 2] === CR ? CRLF : LF_ONLY,
        );
        const out = release(completed, completed.byteLength);
        if (out.byteLength > 0) {
          lastOut = true;
          return out;
        }
      }
    }
    return verdict();
  };

  /**
   * Undefined when the stream finished (or already carried an upstream error, forwarded); otherwise throws:
   * the watcher's error when it stopped at an event it would not forward, else the stream was cut.
   */
  const verdict = (): undefined => {
    const stopped = watcher.stopped?.();
    if (stopped) throw stopped;
    const report = watcher.report();
    if (report.finished || report.error) return undefined;
    throw watcher.unfinishedError();
  };
  return {
    async next() {
      for (;;) {
        if (lastOut) {
          lastOut = false;
          return verdict();
        }
        if (ended) return undefined;
        const value = await reader.read();
        if (value === undefined) return finish();
        const bytes = held === undefined ? value : concat(held, value);
        const out = release(bytes, lastEventBoundary(bytes));
        if (watcher.stopped?.()) {
          // The rest is not read: the bytes before the bad event, then the verdict (its error).
          ended = true;
          held = undefined;
          reader.cancel('upstream sent an event that is not JSON').catch(() => {});
          if (out.byteLength === 0) return verdict();
          lastOut = true;
          return out;
        }
        if (out.byteLength > 0) return out;
      }
    },
    cancel(reason) {
      ended = true;
      reader.cancel(reason).catch(() => {});
    },
    errorEvent(error) {
      const event = dialect.encodeErrorEvent(error);
      const id = nextId++;
      return redact(encoder.encode(ids ? formatSseEvent(event, id) : formatSseData(event)));
    },
    contentSeen: () => watcher.contentSeen(),
    eventsWritten: () => nextId - 1,
    report: (): StreamReport => watcher.report(),
  };
}
