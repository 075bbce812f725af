/**
 * The passthrough watcher: what the server's fast path needs to know about a dialect's bytes when it forwards
 * an upstream stream untouched (client and upstream speak the same dialect). The bytes are only watched:
 * first content (for time to first token), the terminal marker, usage, and errors reported inside the stream.
 * Each dialect provides one, built on the same usage and error mappers as its stream decoder, so that the log
 * and the metrics say the same whichever path served a request.
 */
import type { ProviderError } from './errors.ts';
import type { Usage } from './usage.ts';

/** What a stream showed on its way to the client: the same facts from either path. */
export interface StreamReport {
  /** Content (text, tool call, reasoning, refusal) has been seen. */
  contentSeen: boolean;
  /** The stream's terminal marker (or `finish` event) has been seen. */
  finished: boolean;
  /** The usage figures seen so far, in canonical terms. */
  usage: Usage;
  /** An error the upstream reported inside the stream. */
  error?: ProviderError;
}

export interface PassthroughWatcherOptions {
  /** The provider's name, for the errors the watcher builds. */
  provider: string;
  /**
   * Whether the client asked for usage in its stream (OpenAI's `stream_options.include_usage`). When it did
   * not, a dialect may leave out events the client would not expect (OpenAI: chunks without choices).
   */
  includeUsage: boolean;
  /**
   * The model name to show the client instead of the upstream's (the alias it asked for), when they differ:
   * rewritten in the bytes wherever the dialect's events name the model.
   */
  rename?: { from: string; to: string };
}

export interface PassthroughWatcher {
  /**
   * Watches `bytes[0, end)`, which holds whole events only. Returns the bytes to forward instead when the
   * watcher changed them (events left out, the model renamed), or undefined to forward `bytes[0, end)` as is.
   */
  inspect(bytes: Uint8Array, end: number): Uint8Array | undefined;
  /** Whether content has been seen yet (cheap: asked after every write). */
  contentSeen(): boolean;
  /** What the stream showed so far. */
  report(): StreamReport;
  /** The error for a stream that ended before its terminal marker, as the stream decoder words it. */
  unfinishedError(): ProviderError;
  /**
   * Set once the watcher met an event it will not forward because it is not one of the dialect's events (its
   * data is not JSON): nothing from that event on is forwarded, and the stream ends with this error (also the
   * report's `error`), written as the client's error event. A watcher without it forwards every event.
   */
  stopped?(): ProviderError | undefined;
}
