/**
 * The first stage of every route that takes a JSON body (generation, count_tokens): the client's key, then
 * the body (size limit, JSON). A value comes out either way: the body, or the error to answer with.
 */
import { ProviderError } from '@tokenpak/providers';
import type { AppContext } from '../app-context.ts';
import { isAuthorized, unauthorizedError } from '../auth/client-keys.ts';
import { parseJsonBody, readBodyText } from '../limits/read-body.ts';

export type ClientBody =
  | { ok: true; body: unknown }
  | {
      ok: false;
      error: ProviderError;
      outcome: 'unauthorized' | 'client_error';
      /** The rest of an oversized body is left unread: close the connection rather than keep it alive. */
      closeConnection: boolean;
    };

export async function readClientBody(ctx: AppContext, request: Request): Promise<ClientBody> {
  const { server } = ctx.config;
  if (!isAuthorized(request.headers, server.api_keys, request.url)) {
    return { ok: false, error: unauthorizedError(), outcome: 'unauthorized', closeConnection: false };
  }
  try {
    return { ok: true, body: parseJsonBody(await readBodyText(request, server.max_body_bytes)) };
  } catch (error) {
    const clientError = ProviderError.isProviderError(error)
      ? error
      : new ProviderError({
          type: 'invalid_request',
          message: 'Invalid request: ' + (error instanceof Error ? error.message : String(error)),
        });
    return {
      ok: false,
      error: clientError,
      outcome: 'client_error',
      closeConnection: clientError.type === 'request_too_large',
    };
  }
}
