/**
 * How a recording is replayed: its bytes whole, re-split at random (seeded) points, split at every byte, and
 * with its line endings flipped (LF → CRLF, or CRLF → LF for CRLF recordings such as Gemini's). A decoder
 * must read the same events in every mode. `replayModes()` lists them for `test.each`; `replayChunks()`
 * is the plan the fake upstream writes (and `replayStream()` the same plan as an in-memory byte stream).
 */
import { seededRandom } from './seeded-random.ts';

/** How the bytes are cut into network chunks. */
export type ReplaySplit =
  /** One chunk. */
  | 'whole'
  /** One chunk per byte (multi-byte characters are cut too). */
  | 'bytes'
  /** Chunks of 1..maxChunk bytes, drawn from `seed`; after each, a pause of 0..maxDelayMs-1 ms. */
  | { seed: number; maxChunk: number; maxDelayMs?: number };

/**
 * What happens to line endings: kept, all made LF, all made CRLF, or `flip`: CRLF when the recording has
 * any bare LF, LF when it uses CRLF only.
 */
export type ReplayLineEndings = 'as-recorded' | 'lf' | 'crlf' | 'flip';

export interface ReplayMode {
  /** For test titles: `whole`, `random-1`, `bytes`, `flip-line-endings`. */
  name: string;
  split: ReplaySplit;
  lineEndings: ReplayLineEndings;
}

export interface ReplayModesOptions {
  /** One random mode per seed. Default `[1]`. */
  seeds?: number[];
  /** Largest random chunk, in bytes. Default 64. */
  maxChunk?: number;
  /** Pause after each random chunk: 0..maxDelayMs-1 ms. Default 0 (no pause, only a turn of the event loop). */
  maxDelayMs?: number;
  /** Also the `bytes` mode (one byte per chunk). Default true. */
  bytes?: boolean;
  /** Also the `flip-line-endings` mode (whole, line endings flipped). Default true. */
  flipLineEndings?: boolean;
}

export const WHOLE: ReplayMode = Object.freeze({ name: 'whole', split: 'whole', lineEndings: 'as-recorded' });

/** The modes to run a recording in: whole, random per seed, every byte, flipped line endings. */
export function replayModes(options: ReplayModesOptions = {}): ReplayMode[] {
  const maxChunk = options.maxChunk ?? 64;
  const maxDelayMs = options.maxDelayMs ?? 0;
  const modes: ReplayMode[] = [WHOLE];
  for (const seed of options.seeds ?? [1]) {
    modes.push({ name: `random-${seed}`, split: { seed, maxChunk, maxDelayMs }, lineEndings: 'as-recorded' });
  }
  if (options.bytes ?? true) modes.push({ name: 'bytes', split: 'bytes', lineEndings: 'as-recorded' });
  if (options.flipLineEndings ?? true) {
    modes.push({ name: 'flip-line-endings', split: 'whole', lineEndings: 'flip' });
  }
  return modes;
}

const LF = 0x0a;
const CR = 0x0d;

/** Whether the bytes use CRLF only (at least one CRLF, no bare LF). */
export function usesCrlf(bytes: Uint8Array): boolean {
  let crlf = false;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== LF) continue;
    if (i > 0 && bytes[i - 1] === CR) crlf = true;
    else return false;
  }
  return crlf;
}

/** The bytes with their line endings converted (byte-wise: other bytes and lone CRs are kept). */
export function convertLineEndings(bytes: Uint8Array, lineEndings: ReplayLineEndings): Uint8Array {
  if (lineEndings === 'as-recorded') return bytes;
  const target = lineEndings === 'flip' ? (usesCrlf(bytes) ? 'lf' : 'crlf') : lineEndings;
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (target === 'lf') {
      if (byte === CR && bytes[i + 1] === LF) continue;
      out.push(byte);
    } else {
      if (byte === LF && (i === 0 || bytes[i - 1] !== CR)) out.push(CR);
      out.push(byte);
    }
  }
  return Uint8Array.from(out);
}

export interface ReplayChunk {
  bytes: Uint8Array;
  /** Pause after writing this chunk. */
  delayMs: number;
}

/** The recording as the network chunks a mode writes, in order (deterministic for a given mode). */
export function replayChunks(body: string | Uint8Array, mode: Pick<ReplayMode, 'split' | 'lineEndings'>) {
  const raw = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const bytes = convertLineEndings(raw, mode.lineEndings);
  const chunks: ReplayChunk[] = [];
  const { split } = mode;
  if (split === 'whole') {
    chunks.push({ bytes, delayMs: 0 });
  } else if (split === 'bytes') {
    for (let i = 0; i < bytes.length; i++) chunks.push({ bytes: bytes.subarray(i, i + 1), delayMs: 0 });
  } else {
    const random = seededRandom(split.seed);
    let offset = 0;
    while (offset < bytes.length) {
      const size = 1 + Math.floor(random() * split.maxChunk);
      const delayMs = Math.floor(random() * (split.maxDelayMs ?? 0));
      chunks.push({ bytes: bytes.subarray(offset, offset + size), delayMs });
      offset += size;
    }
  }
  return chunks;
}

/** The chunks of `replayChunks` as an in-memory byte stream (no delays): for tests without HTTP. */
export function replayStream(
  body: string | Uint8Array,
  mode: Pick<ReplayMode, 'split' | 'lineEndings'> = WHOLE,
): ReadableStream<Uint8Array> {
  const chunks = replayChunks(body, mode);
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk.bytes.slice());
    },
  });
}
