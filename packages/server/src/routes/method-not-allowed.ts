/** 405 with `Allow`, in the error shape of the route: a dialect's, the asking client's, or plain JSON. */
import { ProviderError } from '@tokenpak/providers';
import type { AppContext, ClientDialectName } from '../app-context.ts';
import { clientDialect } from '../http/client-dialect.ts';
import { dialectErrorResponse, plainErrorResponse } from '../http/error-response.ts';
import { requestIdFor } from '../http/request-id.ts';

/** `dialect`: the route's own; 'client': chosen per request from its headers; 'plain': `{error:{type,message}}`. */
export type ErrorShape = ClientDialectName | 'client' | 'plain';

export function methodNotAllowedRoute(
  ctx: AppContext,
  shape: ErrorShape,
): (request: Request, allow: string) => Response {
  return (request, allow) => {
    const path = new URL(request.url).pathname;
    const message = `Method ${request.method} is not allowed on ${path}: use ${allow.replace(', HEAD', '')}.`;
    const headers = { 'x-request-id': requestIdFor(request.headers), allow };
    if (shape === 'plain') return plainErrorResponse(405, 'invalid_request_error', message, headers);
    const dialect = ctx.dialects[shape === 'client' ? clientDialect(ctx, request.headers) : shape];
    const error = new ProviderError({ type: 'invalid_request', status: 405, message });
    return dialectErrorResponse(dialect, error, ctx.redact, headers);
  };
}
