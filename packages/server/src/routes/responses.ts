/** POST /v1/responses: the OpenAI Responses API in and out, whatever the provider behind the alias speaks. */
import type { AppContext } from '../app-context.ts';
import { handleGeneration } from '../pipeline/handle-generation.ts';

export function responsesRoute(ctx: AppContext): (request: Request) => Promise<Response> {
  const dialect = ctx.dialects['openai-responses'];
  return (request) => handleGeneration(ctx, dialect, request);
}
