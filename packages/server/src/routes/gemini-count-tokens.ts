/**
 * POST …/models/{model}:countTokens (Gemini's `models.countTokens()`), for every alias: TokenPak's estimate,
 * marked `x-tokenpak-estimate: true`, as `/v1/messages/count_tokens` gives for aliases whose provider cannot
 * count. The body (`{contents}` or `{generateContentRequest}`) is read by the Gemini dialect; the canonical
 * request is built as an Anthropic Messages body, which is what the estimate reads (texts, tool calls and
 * results, images, tool definitions). Every answer, errors included, is in Gemini's shape.
 */
import {
  type CanonicalRequest,
  geminiTokenCount,
  type RequestTarget,
  toProviderError,
} from '@tokenpak/providers';
import type { AppContext } from '../app-context.ts';
import { dialectErrorResponse } from '../http/error-response.ts';
import { requestIdFor } from '../http/request-id.ts';
import { readClientBody } from '../pipeline/read-client-body.ts';
import { resolveRoute } from '../pipeline/resolve-route.ts';
import { ESTIMATE_HEADER, estimateInputTokens } from './count-tokens.ts';

/** Only what is counted: no body to forward, nothing that would stop a build for another dialect. */
function countable(canonical: CanonicalRequest): CanonicalRequest {
  const {
    raw: _raw,
    native: _native,
    requiresSameDialect: _same,
    untranslatable: _untranslatable,
    ...rest
  } = canonical;
  return { ...rest, passthrough: {} };
}

export function geminiCountTokensRoute(
  ctx: AppContext,
): (request: Request, target: RequestTarget) => Promise<Response> {
  const dialect = ctx.dialects.gemini;
  const anthropic = ctx.dialects['anthropic-messages'];
  return async (request, target) => {
    const headers: Record<string, string> = { 'x-request-id': requestIdFor(request.headers) };
    const read = await readClientBody(ctx, request);
    if (!read.ok) {
      if (read.closeConnection) headers.connection = 'close';
      return dialectErrorResponse(dialect, read.error, ctx.redact, headers);
    }
    try {
      const { request: canonical } = dialect.parseRequest(read.body, target);
      const route = resolveRoute(ctx, canonical.model);
      const body = anthropic.buildRequest(countable(canonical), {
        model: route.upstreamModel,
        stream: false,
        defaultMaxTokens: route.defaultMaxTokens,
      });
      const tokens = await estimateInputTokens(body, request.signal);
      return new Response(JSON.stringify(geminiTokenCount(tokens)), {
        headers: { ...headers, 'content-type': 'application/json', [ESTIMATE_HEADER]: 'true' },
      });
    } catch (error) {
      return dialectErrorResponse(dialect, toProviderError(error), ctx.redact, headers);
    }
  };
}
