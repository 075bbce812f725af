/**
 * GET /v1/streams/{id}: a client whose connection dropped reads the rest of its stream, in the original
 * dialect and framing: exactly the events after `Last-Event-ID: n` (or `?last_event_id=n`, also for SSE
 * written without ids, which a client counts; NDJSON and JSON arrays: `?after=<lines or elements received>`),
 * then the live tail, then the proper end. Several readers may follow one stream.
 * The same client keys guard it, and a stream is readable only with the key that started it. An unknown,
 * evicted or foreign id is a 404 in the client's error shape.
 */
import { ProviderError } from '@tokenpak/providers';
import type { AppContext } from '../app-context.ts';
import { isAuthorized, unauthorizedError } from '../auth/client-keys.ts';
import { clientDialect } from '../http/client-dialect.ts';
import { dialectErrorResponse } from '../http/error-response.ts';
import { requestIdFor } from '../http/request-id.ts';
import type { StreamLog } from '../resume/stream-log.ts';
import { streamOwner } from '../resume/stream-owner.ts';

const PREFIX = '/v1/streams/';

export function streamResumeRoute(ctx: AppContext): (request: Request) => Response {
  return (request) => {
    const headers: Record<string, string> = { 'x-request-id': requestIdFor(request.headers) };
    const dialect = ctx.dialects[clientDialect(ctx, request.headers)];
    const keys = ctx.config.server.api_keys;
    if (!isAuthorized(request.headers, keys, request.url)) {
      return dialectErrorResponse(dialect, unauthorizedError(), ctx.redact, headers);
    }
    const url = new URL(request.url);
    const id = decodeURIComponent(url.pathname.slice(PREFIX.length));
    const log = ctx.streamLogs?.get(id);
    if (!log || log.owner !== streamOwner(request.headers, (keys?.length ?? 0) > 0, request.url)) {
      ctx.metrics.resumes.inc(['not_found']);
      const message = ctx.streamLogs
        ? `No stream '${id}': it is unknown, or it ended more than streaming.resume.keep_ms ago.`
        : 'Resumable streams are turned off on this server (streaming.resume.enabled: false).';
      return dialectErrorResponse(
        ctx.dialects[
          log ? (log.dialect as keyof AppContext['dialects']) : clientDialect(ctx, request.headers)
        ] ?? dialect,
        new ProviderError({ type: 'not_found', code: 'stream_not_found', message }),
        ctx.redact,
        headers,
      );
    }
    const raw =
      log.framing !== 'sse'
        ? url.searchParams.get('after')
        : (request.headers.get('last-event-id') ?? url.searchParams.get('last_event_id'));
    const after = raw === null || raw === '' ? 0 : Number(raw);
    if (!Number.isInteger(after) || after < 0) {
      return dialectErrorResponse(
        dialect,
        new ProviderError({
          type: 'invalid_request',
          message: `${log.framing !== 'sse' ? 'after' : 'Last-Event-ID'} must be a whole number (got '${raw}').`,
        }),
        ctx.redact,
        headers,
      );
    }
    ctx.metrics.resumes.inc(['ok']);
    return followLog(log, after, headers);
  };
}

/** The events of `log` after the first `after`, then its live tail, then its end, as a response. */
export function followLog(log: StreamLog, after: number, headers: Record<string, string>): Response {
  let stop: (() => void) | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      stop = log.follow(
        after,
        (event) => {
          try {
            controller.enqueue(event);
          } catch {
            stop?.();
          }
        },
        () => {
          try {
            controller.close();
          } catch {
            // The reader is gone.
          }
        },
      );
    },
    cancel() {
      stop?.();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { ...log.headers, ...headers, 'x-tokenpak-stream-id': log.id },
  });
}
