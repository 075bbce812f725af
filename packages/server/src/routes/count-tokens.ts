/**
 * POST /v1/messages/count_tokens: Anthropic's token count, forwarded to the upstream of an alias served by
 * an `anthropic` provider (the body as sent, with the upstream model id). Other aliases: 400, since only
 * Anthropic counts tokens this way. Every answer is in Anthropic's shape.
 */
import { ProviderError, toProviderError } from '@tokenpak/providers';
import type { AppContext } from '../app-context.ts';
import { dialectErrorResponse } from '../http/error-response.ts';
import { requestIdFor } from '../http/request-id.ts';
import { readClientBody } from '../pipeline/read-client-body.ts';
import { resolveRoute } from '../pipeline/resolve-route.ts';

export function countTokensRoute(ctx: AppContext): (request: Request) => Promise<Response> {
  const dialect = ctx.dialects['anthropic-messages'];
  return async (request) => {
    const headers: Record<string, string> = { 'x-request-id': requestIdFor(request.headers) };
    const reject = (error: unknown) =>
      dialectErrorResponse(dialect, toProviderError(error), ctx.redact, headers);
    const read = await readClientBody(ctx, request);
    if (!read.ok) {
      if (read.closeConnection) headers.connection = 'close';
      return reject(read.error);
    }
    const body = (read.body ?? {}) as Record<string, unknown>;
    if (typeof body.model !== 'string' || body.model === '') {
      return reject(
        new ProviderError({
          type: 'invalid_request',
          param: 'model',
          message: 'model: a model alias is required.',
        }),
      );
    }
    try {
      const route = resolveRoute(ctx, body.model);
      const { provider } = route;
      if (typeof provider.countTokens !== 'function') {
        throw new ProviderError({
          type: 'invalid_request',
          message:
            `count_tokens is only available for aliases served by an Anthropic provider; model ` +
            `'${route.alias}' is served by provider '${route.providerName}' (type ${provider.type}).`,
        });
      }
      const count = await provider.countTokens(body, {
        model: route.upstreamModel,
        signal: request.signal,
        defaultMaxTokens: route.defaultMaxTokens,
      });
      return new Response(JSON.stringify(count), {
        headers: { ...headers, 'content-type': 'application/json' },
      });
    } catch (error) {
      return reject(error);
    }
  };
}
