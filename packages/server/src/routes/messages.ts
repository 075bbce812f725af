/** POST /v1/messages: Anthropic Messages in and out, whatever the provider behind the alias speaks. */
import type { AppContext } from '../app-context.ts';
import { handleGeneration } from '../pipeline/handle-generation.ts';

export function messagesRoute(ctx: AppContext): (request: Request) => Promise<Response> {
  const dialect = ctx.dialects['anthropic-messages'];
  return (request) => handleGeneration(ctx, dialect, request);
}
