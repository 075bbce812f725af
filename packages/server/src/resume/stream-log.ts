/**
 * The stream log: every event a streamed response wrote, kept while the stream runs and for `keep_ms` after, so
 * that a client whose connection dropped can read from where it stopped (and several readers can follow one
 * stream). This is the interface; `createMemoryStreamLogStore` is its first implementation, and a later one can
 * keep logs in Redis so that a client resumes on another instance.
 */
import type { FramingName } from '../framing/framing.ts';

export interface StreamLogMeta {
  /** The client dialect's name: resumes answer in it. */
  dialect: string;
  framing: FramingName;
  /** Response headers of the original stream (content type...), sent again on resume. */
  headers: Readonly<Record<string, string>>;
  /** Who may read it: a digest of the client key that started it ('' when the server has no keys). */
  owner: string;
}

export interface StreamLog extends StreamLogMeta {
  readonly id: string;
  /** Events so far (SSE: event `n` carries `id: n`; NDJSON: line `n`). */
  readonly length: number;
  readonly ended: boolean;
  /** False once the log outgrew its budget: it can no longer be resumed. */
  readonly complete: boolean;
  /** Readers following it now (resumed clients). */
  readonly readerCount: number;
  /** Appends the next chunk as written (bytes or text) and the number of events it holds. */
  append(chunk: Uint8Array | string, events: number): void;
  /** The stream ended (any way): readers get the rest, then the end. */
  end(): void;
  /** Events after the first `after`, then live ones as they come; `onEnd` when the stream has ended. */
  follow(after: number, onChunk: (chunk: Uint8Array) => void, onEnd: () => void): () => void;
}

export interface StreamLogStats {
  logs: number;
  bytes: number;
  evictions: number;
}

export interface StreamLogStore {
  /** A new log, or undefined when the budget has no room for one more. */
  open(meta: StreamLogMeta): StreamLog | undefined;
  get(id: string): StreamLog | undefined;
  stats(): StreamLogStats;
  /** Drops every log and timer (app shutdown). */
  close(): void;
}
