/**
 * Any other path: 404 naming what was asked and what exists. Anthropic's shape for paths under
 * /v1/messages and for the Anthropic SDK (it sends `anthropic-version`), Gemini's under /v1beta and for the
 * `@google/genai` SDK, plain JSON otherwise.
 */
import { ProviderError } from '@tokenpak/providers';
import type { AppContext } from '../app-context.ts';
import { dialectErrorResponse, plainErrorResponse } from '../http/error-response.ts';
import { requestIdFor } from '../http/request-id.ts';

export function notFoundRoute(ctx: AppContext, routes: string): (request: Request) => Response {
  const anthropic = ctx.dialects['anthropic-messages'];
  const gemini = ctx.dialects.gemini;
  return (request) => {
    const path = new URL(request.url).pathname;
    const message = `No route for ${request.method} ${path}. Routes: ${routes}.`;
    const headers = { 'x-request-id': requestIdFor(request.headers) };
    if (path.startsWith('/v1/messages/') || request.headers.has('anthropic-version')) {
      const error = new ProviderError({ type: 'not_found', message });
      return dialectErrorResponse(anthropic, error, ctx.redact, headers);
    }
    if (path.startsWith('/v1beta/') || gemini.recognizesClient?.(request.headers)) {
      const error = new ProviderError({ type: 'not_found', message });
      return dialectErrorResponse(gemini, error, ctx.redact, headers);
    }
    return plainErrorResponse(404, 'not_found_error', message, headers);
  };
}
