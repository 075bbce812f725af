/**
 * GET /v1/models: the configured aliases. OpenAI's list shape (`owned_by` is the provider's name), Anthropic's
 * (`has_more`, `first_id`, `last_id`) for a client that sends `anthropic-version`, Gemini's (`models`, names
 * `models/<alias>`) for the `@google/genai` SDK. GET /v1beta/models is always Gemini's (`shape`).
 */
import { geminiModelList } from '@tokenpak/providers';
import type { AppContext, ClientDialectName } from '../app-context.ts';
import { isAuthorized, unauthorizedError } from '../auth/client-keys.ts';
import { clientDialect } from '../http/client-dialect.ts';
import { dialectErrorResponse } from '../http/error-response.ts';
import { requestIdFor } from '../http/request-id.ts';
import { modelObjects } from './model-objects.ts';

export function modelsRoute(ctx: AppContext, shape?: ClientDialectName): (request: Request) => Response {
  const models = modelObjects(ctx);
  const openaiBody = JSON.stringify({ object: 'list', data: models.openai });
  const anthropicBody = JSON.stringify({
    data: models.anthropic,
    has_more: false,
    first_id: models.anthropic[0]?.id ?? null,
    last_id: models.anthropic.at(-1)?.id ?? null,
  });
  const geminiBody = JSON.stringify(geminiModelList(models.openai.map((model) => model.id)));
  return (request) => {
    const headers = { 'x-request-id': requestIdFor(request.headers) };
    const dialect = shape ?? clientDialect(ctx, request.headers);
    if (!isAuthorized(request.headers, ctx.config.server.api_keys, request.url)) {
      return dialectErrorResponse(ctx.dialects[dialect], unauthorizedError(), ctx.redact, headers);
    }
    const body =
      dialect === 'anthropic-messages' ? anthropicBody : dialect === 'gemini' ? geminiBody : openaiBody;
    return new Response(body, { headers: { ...headers, 'content-type': 'application/json' } });
  };
}
