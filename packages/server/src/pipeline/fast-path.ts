/**
 * The same-dialect fast path: the upstream's SSE bytes are forwarded untouched, only watched. Bytes are
 * released up to the last complete event in hand, so that a heartbeat or an error event is never written
 * into the middle of an upstream event.
 */
import { type ByteReader, type Dialect, type DialectName, ProviderError } from '@tokenpak/providers';
import { formatSseEvent } from '../framing/sse-encoder.ts';
import type { ChunkSource } from './client-stream.ts';
import type { RequestTrace } from './request-trace.ts';
import { createSseWatcher } from './sse-watch.ts';

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

function isBlank(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== LF && byte !== CR && byte !== 32 && byte !== 9) return false;
  return true;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
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
  /** OpenAI client that did not ask for usage: leave out the usage-only chunk the proxy asked upstream for. */
  dropUsageOnlyChunks?: boolean;
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
    dropUsageOnlyChunks: options.dropUsageOnlyChunks,
  });
  let held: Uint8Array | undefined;
  let ended = false;

  return {
    async next() {
      for (;;) {
        if (ended) return undefined;
        const value = await reader.read();
        if (value === undefined) {
          ended = true;
          const rest = held;
          held = undefined;
          if (rest === undefined || isBlank(rest)) return undefined;
          throw new ProviderError({
            type: 'bad_upstream',
            message: 'The upstream stream ended in the middle of an event.',
            provider: options.provider,
          });
        }
        const bytes = held === undefined ? value : concat(held, value);
        const boundary = lastEventBoundary(bytes);
        const drop = watcher.inspect(bytes, boundary);
        held = boundary === bytes.length ? undefined : bytes.subarray(boundary);
        const out = drop ? without(bytes, boundary, drop) : bytes.subarray(0, boundary);
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
