/**
 * GET /v1/responses/{id}: a response TokenPak stored for a Responses client (served by an upstream that keeps
 * no state; see responses-state/). `?stream=true&starting_after=N` replays its stream from its stream log, as
 * OpenAI's background mode does (events after sequence number N). `/v1/responses/{id}/input_items` lists the
 * items the client sent. A response still being streamed can be followed with `?stream=true` from its first
 * event (a client whose connection dropped resumes it); read whole, it is a 400 until it is done. Unknown or
 * expired ids (and other keys' responses) are a 404 in OpenAI's shape.
 */
import { ProviderError } from '@tokenpak/providers';
import type { AppContext } from '../app-context.ts';
import { isAuthorized, unauthorizedError } from '../auth/client-keys.ts';
import { dialectErrorResponse } from '../http/error-response.ts';
import { requestIdFor } from '../http/request-id.ts';
import { streamOwner } from '../resume/stream-owner.ts';
import { followLog } from './stream-resume.ts';

const PREFIX = '/v1/responses/';
const INPUT_ITEMS = '/input_items';

export function storedResponseRoute(ctx: AppContext): (request: Request) => Response {
  const dialect = ctx.dialects['openai-responses'];
  return (request) => {
    const headers: Record<string, string> = { 'x-request-id': requestIdFor(request.headers) };
    const keys = ctx.config.server.api_keys;
    if (!isAuthorized(request.headers, keys, request.url)) {
      return dialectErrorResponse(dialect, unauthorizedError(), ctx.redact, headers);
    }
    const url = new URL(request.url);
    let id = decodeURIComponent(url.pathname.slice(PREFIX.length));
    const inputItems = id.endsWith(INPUT_ITEMS);
    if (inputItems) id = id.slice(0, -INPUT_ITEMS.length);
    const stored = ctx.responses?.get(id);
    const notFound = (message: string) =>
      dialectErrorResponse(
        dialect,
        new ProviderError({ type: 'not_found', code: 'response_not_found', message }),
        ctx.redact,
        headers,
      );
    if (!stored || stored.owner !== streamOwner(request.headers, (keys?.length ?? 0) > 0, request.url)) {
      return notFound(`Response with id '${id}' not found.`);
    }
    if (inputItems) {
      const built = dialect.buildRequest(
        {
          model: stored.model,
          messages: stored.input,
          stream: false,
          sourceDialect: dialect.name,
          passthrough: {},
        },
        { model: stored.model, stream: false, defaultMaxTokens: 1 },
      );
      const data = Array.isArray(built.input) ? built.input : [];
      return Response.json(
        { object: 'list', data, first_id: null, last_id: null, has_more: false },
        { headers },
      );
    }
    if (url.searchParams.get('stream') === 'true') {
      const log = stored.streamId === undefined ? undefined : ctx.streamLogs?.get(stored.streamId);
      if (!log)
        return notFound(`The stream of response '${id}' is no longer kept (streaming.resume.keep_ms).`);
      const raw = url.searchParams.get('starting_after');
      // Event n of the stream log carries sequence_number n - 1.
      const after = raw === null ? 0 : Number(raw) + 1;
      if (!Number.isInteger(after) || after < 0) {
        return dialectErrorResponse(
          dialect,
          new ProviderError({
            type: 'invalid_request',
            param: 'starting_after',
            message: 'starting_after must be a whole number.',
          }),
          ctx.redact,
          headers,
        );
      }
      ctx.metrics.resumes.inc(['ok']);
      return followLog(log, after, headers);
    }
    if (!stored.response) {
      return dialectErrorResponse(
        dialect,
        new ProviderError({
          type: 'invalid_request',
          code: 'response_in_progress',
          message: `Response '${id}' is still being generated: follow it with ?stream=true, or read it when it is done.`,
        }),
        ctx.redact,
        headers,
      );
    }
    const body = dialect.encodeResponse(stored.response, { model: stored.model, id: stored.id });
    return Response.json(body, { headers });
  };
}
