/**
 * Any other path: 404 naming what was asked and what exists, in the shape of the client it most likely is:
 * Anthropic's under /v1/messages, Gemini's under /v1beta, else the dialect that recognizes the request's
 * headers (the Anthropic SDK sends `anthropic-version`, the `@google/genai` SDK its client header), else
 * OpenAI's (`{ error: { message, type, param, code } }`), which the OpenAI SDKs and most tools read.
 */
import { ProviderError } from '@tokenpak/providers';
import type { AppContext, ClientDialectName } from '../app-context.ts';
import { clientDialect } from '../http/client-dialect.ts';
import { dialectErrorResponse } from '../http/error-response.ts';
import { requestIdFor } from '../http/request-id.ts';

function dialectFor(ctx: AppContext, path: string, headers: Headers): ClientDialectName {
  if (path.startsWith('/v1/messages/')) return 'anthropic-messages';
  if (path.startsWith('/v1beta/')) return 'gemini';
  return clientDialect(ctx, headers);
}

export function notFoundRoute(ctx: AppContext, routes: string): (request: Request) => Response {
  return (request) => {
    const path = new URL(request.url).pathname;
    const message = `No route for ${request.method} ${path}. Routes: ${routes}.`;
    const headers = { 'x-request-id': requestIdFor(request.headers) };
    const dialect = ctx.dialects[dialectFor(ctx, path, request.headers)];
    return dialectErrorResponse(
      dialect,
      new ProviderError({ type: 'not_found', message }),
      ctx.redact,
      headers,
    );
  };
}
