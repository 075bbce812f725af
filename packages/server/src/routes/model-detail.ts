/**
 * GET /v1/models/{id}: one alias as a model object (OpenAI's, or Anthropic's for a client that sends
 * `anthropic-version`), 404 with `model_not_found` for anything else. The id may hold slashes.
 */
import { ProviderError } from '@tokenpak/providers';
import type { AppContext } from '../app-context.ts';
import { isAuthorized, unauthorizedError } from '../auth/client-keys.ts';
import { clientDialect } from '../http/client-dialect.ts';
import { dialectErrorResponse } from '../http/error-response.ts';
import { requestIdFor } from '../http/request-id.ts';
import { modelObjects } from './model-objects.ts';

export const MODEL_DETAIL_PREFIX = '/v1/models/';

export function modelDetailRoute(ctx: AppContext): (request: Request) => Response {
  const models = modelObjects(ctx);
  const openai = new Map(models.openai.map((model) => [model.id, JSON.stringify(model)]));
  const anthropic = new Map(models.anthropic.map((model) => [model.id, JSON.stringify(model)]));
  const known = models.openai.map((model) => model.id).join(', ');
  return (request) => {
    const headers = { 'x-request-id': requestIdFor(request.headers) };
    const dialect = clientDialect(ctx, request.headers);
    if (!isAuthorized(request.headers, ctx.config.server.api_keys)) {
      return dialectErrorResponse(ctx.dialects[dialect], unauthorizedError(), ctx.redact, headers);
    }
    const id = modelId(request.url);
    const body =
      id === undefined ? undefined : (dialect === 'anthropic-messages' ? anthropic : openai).get(id);
    if (body === undefined) {
      const error = new ProviderError({
        type: 'not_found',
        code: 'model_not_found',
        param: 'model',
        message: `The model '${id ?? ''}' does not exist here. Available models: ${known || 'none'}.`,
      });
      return dialectErrorResponse(ctx.dialects[dialect], error, ctx.redact, headers);
    }
    return new Response(body, { headers: { ...headers, 'content-type': 'application/json' } });
  };
}

function modelId(url: string): string | undefined {
  const path = new URL(url).pathname;
  try {
    return decodeURIComponent(path.slice(MODEL_DETAIL_PREFIX.length));
  } catch {
    return undefined;
  }
}
