/**
 * POST …/models/{model}:{method}, under /v1beta and /v1 (the `@google/genai` SDK's default): the Gemini API's
 * operations, in and out, whatever the provider behind the alias speaks. Which operation a path names is the
 * Gemini dialect's to say (`readTarget`): generateContent and streamGenerateContent take the generation
 * path, countTokens the estimate; any other method is a 404 in Gemini's shape.
 */
import { ProviderError } from '@tokenpak/providers';
import type { AppContext } from '../app-context.ts';
import { dialectErrorResponse } from '../http/error-response.ts';
import { requestIdFor } from '../http/request-id.ts';
import { requestTarget } from '../http/request-target.ts';
import { handleGeneration } from '../pipeline/handle-generation.ts';
import { geminiCountTokensRoute } from './gemini-count-tokens.ts';

export function geminiRoute(ctx: AppContext): (request: Request) => Promise<Response> {
  const dialect = ctx.dialects.gemini;
  const countTokens = geminiCountTokensRoute(ctx);
  return async (request) => {
    const target = requestTarget(request.url);
    const asked = dialect.readTarget?.(target);
    if (asked?.operation === 'generate') return handleGeneration(ctx, dialect, request);
    if (asked?.operation === 'count-tokens') return countTokens(request, target);
    const error = new ProviderError({
      type: 'not_found',
      message:
        `No Gemini operation at POST ${target.path}: ` +
        'use models/{model}:generateContent, :streamGenerateContent or :countTokens.',
    });
    return dialectErrorResponse(dialect, error, ctx.redact, {
      'x-request-id': requestIdFor(request.headers),
    });
  };
}
