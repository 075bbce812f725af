/**
 * The in-memory StreamLogStore. Budgets: `max_bytes_per_stream` (past it a log stops recording and is no longer
 * resumable) and `max_bytes_total` (finished logs are evicted oldest first to make room; when only running
 * streams hold the bytes, a new stream gets no log). A finished log is dropped `keep_ms` after its end.
 */
import { randomUUID } from 'node:crypto';
import { splitEvents } from './split-events.ts';
import type { StreamLog, StreamLogMeta, StreamLogStats, StreamLogStore } from './stream-log.ts';

const encoder = new TextEncoder();
const asBytes = (chunk: Uint8Array | string): Uint8Array =>
  typeof chunk === 'string' ? encoder.encode(chunk) : chunk;

/**
 * Byte chunks kept one by one before they are merged into one. A log keeps what was written for `keep_ms`
 * after its stream ends, and a same-dialect token stream writes one small Buffer per token: kept as they came,
 * every token costs an object on the heap and pins the whole 8 KB pool slab it was cut from. Merged, a
 * 120-token stream's log is two or three buffers of its own. Text chunks (the translated path's) are left as
 * they are: they pin no slab, and joining them flattens every string (~8 ns a character, measured).
 */
const MERGE_EVERY = 64;
/** Only chunks this small on average are worth merging (a big chunk is no per-object overhead to speak of). */
const MERGE_BELOW_BYTES = 2048;

/** Small byte chunks as one buffer of its own (not a pool slice); undefined when they are not worth it. */
function merge(parts: Array<Uint8Array | string>): Uint8Array | undefined {
  let size = 0;
  for (const part of parts) {
    if (typeof part === 'string') return undefined;
    size += part.byteLength;
  }
  if (size >= parts.length * MERGE_BELOW_BYTES) return undefined;
  const out = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (const part of parts as Uint8Array[]) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

export interface MemoryStreamLogStoreOptions {
  keepMs: number;
  maxBytesPerStream: number;
  maxBytesTotal: number;
  /** Mints each log's id. Default: a UUID (a cluster worker puts its index in front: cluster/worker-ids.ts). */
  mintId?: () => string;
}

export function createMemoryStreamLogStore(options: MemoryStreamLogStoreOptions): StreamLogStore {
  const logs = new Map<string, MemoryLog>();
  /** Finished logs, oldest end first (Map keeps insertion order). */
  const finished = new Map<string, MemoryLog>();
  let bytes = 0;
  let evictions = 0;
  const mintId = options.mintId ?? randomUUID;

  /**
   * One timer for every finished log, set for the oldest one's expiry: logs end in `finished`'s order and all
   * are kept for the same `keep_ms`, so they expire in that order too. (A timer per log cost an object kept
   * alive for `keep_ms` per stream.)
   */
  let sweeper: ReturnType<typeof setTimeout> | undefined;
  const sweepAt = (ms: number): void => {
    sweeper = setTimeout(sweep, Math.max(0, ms));
    sweeper.unref?.();
  };
  const sweep = (): void => {
    sweeper = undefined;
    const now = Date.now();
    for (const log of finished.values()) {
      const expires = log.endedAt + options.keepMs;
      if (expires > now) {
        sweepAt(expires - now);
        return;
      }
      drop(log, false);
    }
  };

  const drop = (log: MemoryLog, evicted: boolean): void => {
    finished.delete(log.id);
    if (!logs.delete(log.id)) return;
    bytes -= log.bytes;
    log.release();
    if (evicted) evictions++;
  };

  /** Makes room for `size` more bytes by evicting finished logs; false when that is not enough. */
  const makeRoom = (size: number): boolean => {
    for (const log of finished.values()) {
      if (bytes + size <= options.maxBytesTotal) break;
      drop(log, true);
    }
    return bytes + size <= options.maxBytesTotal;
  };

  class MemoryLog implements StreamLog {
    readonly id = mintId();
    readonly dialect: string;
    readonly framing: StreamLogMeta['framing'];
    readonly headers: Readonly<Record<string, string>>;
    readonly owner: string;
    /** Chunks as written, and the number of events up to the end of each (chunks are kept whole: no copy). */
    chunks: Array<Uint8Array | string> = [];
    counts: number[] = [];
    /** Chunks before this index are merged ones; those from it on are as written. */
    merged = 0;
    total = 0;
    bytes = 0;
    ended = false;
    complete = true;
    /** When it ended (`Date.now()`): it is dropped `keep_ms` after. */
    endedAt = 0;
    private readers = new Set<{ onChunk: (chunk: Uint8Array) => void; onEnd: () => void }>();

    constructor(meta: StreamLogMeta) {
      this.dialect = meta.dialect;
      this.framing = meta.framing;
      this.headers = meta.headers;
      this.owner = meta.owner;
    }

    get length(): number {
      return this.total;
    }

    get readerCount(): number {
      return this.readers.size;
    }

    append(chunk: Uint8Array | string, events: number): void {
      if (this.ended) return;
      this.total += events;
      if (this.complete) {
        // Text is counted by its length: close enough for a budget, and no encoding on the hot path.
        const size = typeof chunk === 'string' ? chunk.length : chunk.byteLength;
        if (this.bytes + size > options.maxBytesPerStream || !makeRoom(size)) {
          // Past the budget: no longer resumable; what was kept goes.
          this.complete = false;
          bytes -= this.bytes;
          this.bytes = 0;
          this.chunks = [];
          this.counts = [];
        } else {
          this.chunks.push(chunk);
          this.counts.push(this.total);
          this.bytes += size;
          bytes += size;
          if (this.chunks.length - this.merged >= MERGE_EVERY) this.mergeTail();
        }
      }
      if (this.readers.size > 0) {
        const bytesOut = asBytes(chunk);
        for (const reader of this.readers) reader.onChunk(bytesOut);
      }
    }

    end(): void {
      if (this.ended) return;
      this.ended = true;
      for (const reader of this.readers) reader.onEnd();
      this.readers.clear();
      if (!this.complete || options.keepMs === 0) {
        drop(this, false);
        return;
      }
      // Kept for keep_ms as few buffers: small byte chunks written since the last merge become one.
      this.mergeTail();
      // Dropped meanwhile (evicted, or the store closed): nothing to keep.
      if (!logs.has(this.id)) return;
      finished.set(this.id, this);
      this.endedAt = Date.now();
      if (sweeper === undefined) sweepAt(options.keepMs);
    }

    /** Merges the chunks kept as written into one (its count: the events up to its end), when worth it. */
    mergeTail(): void {
      const n = this.chunks.length - this.merged;
      const merged = n > 1 ? merge(this.chunks.slice(this.merged)) : undefined;
      if (merged !== undefined) {
        const count = this.counts[this.counts.length - 1] as number;
        this.chunks.splice(this.merged, n, merged);
        this.counts.splice(this.merged, n, count);
      }
      this.merged = this.chunks.length;
    }

    follow(after: number, onChunk: (chunk: Uint8Array) => void, onEnd: () => void): () => void {
      // The first chunk that holds events past `after`: only its tail is split into events.
      let i = 0;
      while (i < this.counts.length && (this.counts[i] as number) <= after) i++;
      if (i < this.chunks.length) {
        const before = i === 0 ? 0 : (this.counts[i - 1] as number);
        const events = splitEvents(this.chunks[i] as Uint8Array | string, this.framing);
        for (const event of events.slice(after - before)) onChunk(event);
        for (i++; i < this.chunks.length; i++) onChunk(asBytes(this.chunks[i] as Uint8Array | string));
      }
      if (this.ended) {
        onEnd();
        return () => {};
      }
      const reader = { onChunk, onEnd };
      this.readers.add(reader);
      return () => this.readers.delete(reader);
    }

    release(): void {
      this.chunks = [];
      this.counts = [];
      for (const reader of this.readers) reader.onEnd();
      this.readers.clear();
    }
  }

  return {
    open(meta) {
      if (!makeRoom(0) || bytes >= options.maxBytesTotal) return undefined;
      const log = new MemoryLog(meta);
      logs.set(log.id, log);
      return log;
    },
    get(id) {
      const log = logs.get(id);
      return log?.complete ? log : undefined;
    },
    stats: (): StreamLogStats => ({ logs: logs.size, bytes, evictions }),
    close() {
      clearTimeout(sweeper);
      sweeper = undefined;
      for (const log of [...logs.values()]) drop(log, false);
    },
  };
}
