/**
 * GET /v1/models/{id}: one alias as a model object (OpenAI's, Anthropic's for a client that sends
 * `anthropic-version`, Gemini's for the `@google/genai` SDK), 404 with `model_not_found` for anything else.
 * The id may hold slashes. GET /v1beta/models/{id} is always Gemini's (`shape`).
 */
import { ProviderError } from '@tokenpak/providers';
import type { AppContext, ClientDialectName } from '../app-context.ts';
import { isAuthorized, unauthorizedError } from '../auth/client-keys.ts';
import { clientDialect } from '../http/client-dialect.ts';
import { dialectErrorResponse } from '../http/error-response.ts';
import { requestIdFor } from '../http/request-id.ts';
import { modelObjects } from './model-objects.ts';

export const MODEL_DETAIL_PREFIX = '/v1/models/';

export function modelDetailRoute(ctx: AppContext, shape?: ClientDialectName): (request: Request) => Response {
  const models = modelObjects(ctx);
  const openai = new Map(models.openai.map((model) => [model.id, JSON.stringify(model)]));
  const anthropic = new Map(models.anthropic.map((model) => [model.id, JSON.stringify(model)]));
  const gemini = new Map(models.gemini.map((model) => [model.baseModelId, JSON.stringify(model)]));
  const byShape = { 'anthropic-messages': anthropic, gemini } as Partial<
    Record<ClientDialectName, Map<string, string>>
  >;
  const known = models.openai.map((model) => model.id).join(', ');
  return (request) => {
    const headers = { 'x-request-id': requestIdFor(request.headers) };
    const dialect = shape ?? clientDialect(ctx, request.headers);
    if (!isAuthorized(request.headers, ctx.config.server.api_keys, request.url)) {
      return dialectErrorResponse(ctx.dialects[dialect], unauthorizedError(), ctx.redact, headers);
    }
    const id = modelId(request.url);
    const body = id === undefined ? undefined : (byShape[dialect] ?? openai).get(id);
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

/** What follows `/models/` (under /v1 or /v1beta); Gemini's SDK may also name it `models/<id>` there. */
function modelId(url: string): string | undefined {
  const path = new URL(url).pathname;
  try {
    return decodeURIComponent(path.slice(path.indexOf('/models/') + '/models/'.length));
  } catch {
    return undefined;
  }
}
