/** POST /v1/chat/completions: OpenAI Chat Completions in and out, whatever the provider behind the alias speaks. */
import type { AppContext } from '../app-context.ts';
import { handleGeneration } from '../pipeline/handle-generation.ts';

export function chatCompletionsRoute(ctx: AppContext): (request: Request) => Promise<Response> {
  const dialect = ctx.dialects['openai-chat'];
  return (request) => handleGeneration(ctx, dialect, request);
}
