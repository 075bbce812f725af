/** GET /v1/models: the configured aliases in OpenAI's list shape (`owned_by` is the provider's name). */
import type { AppContext } from '../app-context.ts';
import { isAuthorized, unauthorizedError } from '../auth/client-keys.ts';
import { clientDialect } from '../http/client-dialect.ts';
import { dialectErrorResponse } from '../http/error-response.ts';
import { requestIdFor } from '../http/request-id.ts';

export function modelsRoute(ctx: AppContext): (request: Request) => Response {
  const data = Object.entries(ctx.config.models).map(([alias, entry]) => ({
    id: alias,
    object: 'model',
    created: ctx.createdAt,
    owned_by: entry.provider,
  }));
  const body = JSON.stringify({ object: 'list', data });
  return (request) => {
    const headers = { 'x-request-id': requestIdFor(request.headers) };
    if (!isAuthorized(request.headers, ctx.config.server.api_keys)) {
      const dialect = ctx.dialects[clientDialect(request.headers)];
      return dialectErrorResponse(dialect, unauthorizedError(), ctx.redact, headers);
    }
    return new Response(body, { headers: { ...headers, 'content-type': 'application/json' } });
  };
}
