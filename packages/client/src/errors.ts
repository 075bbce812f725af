import type { StreamEvent } from './events.ts';

/**
 * Why a stream failed:
 * - 'http': the first request was answered with a status other than 2xx (not retried).
 * - 'not-a-stream': the response is neither `text/event-stream` nor `application/x-ndjson`, or has no body.
 * - 'stream-error': the stream ended with an in-band error (`event: error`, a JSON with a top-level
 *   `error`, `response.failed`); the server has ended the stream, so it is not retried.
 * - 'not-resumable': the connection dropped and the stream cannot be resumed: the response carried no
 *   `x-tokenpak-stream-id` header, or its URL is unknown (pass `baseUrl`).
 * - 'not-found': a resume was answered 404: the server does not know the stream (evicted, expired, or
 *   another instance).
 * - 'resume-rejected': a resume was answered with another status that a retry cannot fix (400, 401, 403…).
 * - 'retries-exhausted': `maxRetries` reconnect attempts in a row failed without receiving anything.
 */
export type TokenpakStreamErrorCode =
  | 'http'
  | 'not-a-stream'
  | 'stream-error'
  | 'not-resumable'
  | 'not-found'
  | 'resume-rejected'
  | 'retries-exhausted';

export interface TokenpakStreamErrorDetails {
  streamId?: string | undefined;
  /** The HTTP status of the answer that failed ('http', 'not-found', 'resume-rejected'). */
  status?: number | undefined;
  /** The body of that answer, as text (at most 64 KiB). */
  body?: string | undefined;
  /** The in-band error event ('stream-error'). */
  event?: StreamEvent | undefined;
  /** Reconnect attempts made in the last run of failures ('retries-exhausted'). */
  attempts?: number | undefined;
  cause?: unknown;
}

/** The one error type `@tokenpak/client` throws (besides the caller's own abort reason). */
export class TokenpakStreamError extends Error {
  override readonly name = 'TokenpakStreamError';
  readonly code: TokenpakStreamErrorCode;
  readonly streamId: string | undefined;
  readonly status: number | undefined;
  readonly body: string | undefined;
  readonly event: StreamEvent | undefined;
  readonly attempts: number | undefined;

  constructor(code: TokenpakStreamErrorCode, message: string, details: TokenpakStreamErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.streamId = details.streamId;
    this.status = details.status;
    this.body = details.body;
    this.event = details.event;
    this.attempts = details.attempts;
  }
}

/** The message of an error body in any of TokenPak's shapes (`{error:{message}}`, `{message}`), or the text. */
export function errorBodyMessage(body: string): string {
  try {
    const json = JSON.parse(body) as any;
    const error = json?.error;
    if (typeof error?.message === 'string') return error.message;
    if (typeof error === 'string') return error;
    if (typeof json?.message === 'string') return json.message;
  } catch {
    // not JSON
  }
  const text = body.trim();
  return text.length > 200 ? text.slice(0, 200) + '…' : text;
}
