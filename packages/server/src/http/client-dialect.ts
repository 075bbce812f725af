/**
 * Which error and list shapes a client reads on routes that every SDK calls (`/v1/models`, unknown paths):
 * the first client dialect that recognizes the request's headers (`Dialect.recognizesClient`; Anthropic's
 * SDK sends `anthropic-version` on every request), else OpenAI's shapes.
 */
import type { AppContext, ClientDialectName } from '../app-context.ts';

export function clientDialect(ctx: AppContext, headers: Headers): ClientDialectName {
  for (const [name, dialect] of Object.entries(ctx.dialects) as Array<
    [ClientDialectName, AppContext['dialects'][ClientDialectName]]
  >) {
    if (dialect.recognizesClient?.(headers)) return name;
  }
  return 'openai-chat';
}
