/**
 * The in-memory StreamLogStore. Budgets: `max_bytes_per_stream` (past it a log stops recording and is no longer
 * resumable) and `max_bytes_total` (finished logs are evicted oldest first to make room; when only running
 * streams hold the bytes, a new stream gets no log). A finished log is dropped `keep_ms` after its end.
 */
import { randomUUID } from 'node:crypto';
import type { StreamLog, StreamLogMeta, StreamLogStats, StreamLogStore } from './stream-log.ts';

export interface MemoryStreamLogStoreOptions {
  keepMs: number;
  maxBytesPerStream: number;
  maxBytesTotal: number;
}

export function createMemoryStreamLogStore(options: MemoryStreamLogStoreOptions): StreamLogStore {
  const logs = new Map<string, MemoryLog>();
  /** Finished logs, oldest end first (Map keeps insertion order). */
  const finished = new Map<string, MemoryLog>();
  let bytes = 0;
  let evictions = 0;

  const drop = (log: MemoryLog, evicted: boolean): void => {
    if (!logs.delete(log.id)) return;
    finished.delete(log.id);
    clearTimeout(log.expiry);
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
    readonly id = randomUUID();
    readonly dialect: string;
    readonly framing: StreamLogMeta['framing'];
    readonly headers: Readonly<Record<string, string>>;
    readonly owner: string;
    events: Uint8Array[] = [];
    bytes = 0;
    ended = false;
    complete = true;
    expiry: ReturnType<typeof setTimeout> | undefined;
    private readers = new Set<{ onEvent: (event: Uint8Array) => void; onEnd: () => void }>();

    constructor(meta: StreamLogMeta) {
      this.dialect = meta.dialect;
      this.framing = meta.framing;
      this.headers = meta.headers;
      this.owner = meta.owner;
    }

    get length(): number {
      return this.events.length;
    }

    get readerCount(): number {
      return this.readers.size;
    }

    append(event: Uint8Array): void {
      if (this.ended) return;
      if (this.complete) {
        const size = event.byteLength;
        if (this.bytes + size > options.maxBytesPerStream || !makeRoom(size)) {
          // Past the budget: no longer resumable; what was kept goes.
          this.complete = false;
          bytes -= this.bytes;
          this.bytes = 0;
          this.events = [];
        } else {
          this.events.push(event);
          this.bytes += size;
          bytes += size;
        }
      }
      for (const reader of this.readers) reader.onEvent(event);
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
      finished.set(this.id, this);
      this.expiry = setTimeout(() => drop(this, false), options.keepMs);
      this.expiry.unref?.();
    }

    follow(after: number, onEvent: (event: Uint8Array) => void, onEnd: () => void): () => void {
      for (let i = Math.max(0, after); i < this.events.length; i++) onEvent(this.events[i] as Uint8Array);
      if (this.ended) {
        onEnd();
        return () => {};
      }
      const reader = { onEvent, onEnd };
      this.readers.add(reader);
      return () => this.readers.delete(reader);
    }

    release(): void {
      this.events = [];
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
      for (const log of [...logs.values()]) drop(log, false);
    },
  };
}
