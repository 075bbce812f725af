/** Any other path or method: 404 in JSON, naming what was asked and what exists. */
import { plainErrorResponse } from '../http/error-response.ts';
import { requestIdFor } from '../http/request-id.ts';

const ROUTES = 'POST /v1/messages, POST /v1/chat/completions, GET /v1/models, GET /health, GET /metrics';

export function notFoundRoute(): (request: Request) => Response {
  return (request) => {
    const path = new URL(request.url).pathname;
    return plainErrorResponse(
      404,
      'not_found_error',
      `No route for ${request.method} ${path}. Routes: ${ROUTES}.`,
      { 'x-request-id': requestIdFor(request.headers) },
    );
  };
}
