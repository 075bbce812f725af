/**
 * The same-dialect fast path: the upstream's SSE bytes are forwarded untouched, only watched. Bytes are
 * released up to the last complete event in hand, so that a heartbeat or an error event is never written
 * into the middle of an upstream event. A stream that ends before its dialect's terminal marker (OpenAI:
 * `[DONE]` or a non-null `finish_reason`; Anthropic: `message_stop`) ends with an error event, as on the
 * translated path.
 */
import { type ByteReader, type Dialect, type DialectName, ProviderError } from '@tokenpak/providers';
import { formatSseEvent } from '../framing/sse-encoder.ts';
import type { ChunkSource } from './client-stream.ts';
import type { RequestTrace } from './request-trace.ts';
import { createSseWatcher, finderFor } from './sse-watch.ts';

const LF = 10;
const CR = 13;

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

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/**
 * What shows that a stream finished. The needles start with bytes that are rare in SSE JSON (native search
 * stops at each occurrence of the first byte); `"finish_reason":null` does not match (`"` is required after).
 */
const FINISH_MARKERS: Record<DialectName, Uint8Array[]> = {
  'openai-chat': [ascii('DONE]'), ascii('_reason":"'), ascii('_reason": "')],
  'anthropic-messages': [ascii('message_stop')],
};

/** What the translated path's stream decoders say about such a stream. */
const UNFINISHED_MESSAGE: Record<DialectName, string> = {
  'openai-chat': 'upstream closed the stream before it finished',
  'anthropic-messages': 'upstream stream ended before message_stop',
};

function isBlank(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== LF && byte !== CR && byte !== 32 && byte !== 9) return false;
  return true;
}

const CRLF = [CR, LF];
const CR_ONLY = [CR];
const LF_ONLY = [LF];

function concat(a: Uint8Array, b: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.length);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

export interface RawPipelineOptions {
  dialect: Dialect;
  upstreamDialect: DialectName;
  provider: string;
  trace: RequestTrace;
  encoder: TextEncoder;
  /** OpenAI client that did not ask for usage: leave out chunks without choices (see SseWatcherOptions). */
  dropChoicelessChunks?: boolean;
}

/** `bytes[0, end)` without the `[start, stop)` ranges in `drop` (ascending, flattened pairs). */
function without(bytes: Uint8Array, end: number, drop: number[]): Uint8Array {
  let kept = end;
  for (let i = 0; i < drop.length; i += 2) kept -= (drop[i + 1] as number) - (drop[i] as number);
  const out = new Uint8Array(kept);
  let at = 0;
  let from = 0;
  for (let i = 0; i < drop.length; i += 2) {
    out.set(bytes.subarray(from, drop[i]), at);
    at += (drop[i] as number) - from;
    from = drop[i + 1] as number;
  }
  out.set(bytes.subarray(from, end), at);
  return out;
}

/** `reader`: the raw stream's bytes (`openBytes(raw)`). */
export function rawPipeline(reader: ByteReader, options: RawPipelineOptions): ChunkSource {
  const { dialect, trace, encoder } = options;
  const watcher = createSseWatcher(options.upstreamDialect, trace, options.provider, {
    dropChoicelessChunks: options.dropChoicelessChunks,
  });
  const finishMarkers = FINISH_MARKERS[options.upstreamDialect] ?? [];
  let held: Uint8Array | undefined;
  let ended = false;
  /** Whether a terminal marker was forwarded: searched for only until seen. */
  let finished = false;
  /** Set when finish() gave out the last bytes: the verdict is due on the next call. */
  let lastOut = false;

  /** Watches and releases `bytes[0, boundary)`; keeps the rest. */
  const release = (bytes: Uint8Array, boundary: number): Uint8Array => {
    if (!finished && boundary > 0) {
      const find = finderFor(bytes);
      for (const marker of finishMarkers) {
        if (find(marker, 0, boundary) !== -1) {
          finished = true;
          break;
        }
      }
    }
    const drop = watcher.inspect(bytes, boundary);
    held = boundary === bytes.length ? undefined : bytes.subarray(boundary);
    return drop ? without(bytes, boundary, drop) : bytes.subarray(0, boundary);
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

  /** Undefined when the stream finished (or already carried an upstream error); otherwise throws. */
  const verdict = (): undefined => {
    if (finished || trace.streamError) return undefined;
    throw new ProviderError({
      type: 'network',
      message: UNFINISHED_MESSAGE[options.upstreamDialect] ?? 'upstream closed the stream before it finished',
      provider: options.provider,
    });
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
        if (out.byteLength > 0) return out;
      }
    },
    cancel(reason) {
      ended = true;
      reader.cancel(reason).catch(() => {});
    },
    errorEvent(error) {
      const event = dialect.encodeErrorEvent(error);
      return encoder.encode(formatSseEvent(event, 1));
    },
  };
}
