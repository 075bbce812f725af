/**
 * The same-dialect non-streamed answer, for a dialect's `passthroughResponse`: the upstream's JSON body with
 * every field kept and only the top-level model key set to the alias, and the answer in canonical terms from
 * the dialect's own `parseResponse`. An error the upstream reported inside its 200 body is thrown as the
 * parser words it, and a body that is not a JSON object is a `bad_upstream` error; any other object the
 * parser cannot read still goes to the client as sent (a newer shape of the API): it is then known only as
 * an answer with no usage.
 */
import {
  type CanonicalResponse,
  type PassthroughResponse,
  type PassthroughResponseOptions,
  ProviderError,
} from '@tokenpak/provider';

export interface PassthroughJsonRules {
  /** The top-level key naming the model (`model`; Gemini `modelVersion`). */
  modelKey: string;
  parseResponse(body: unknown): CanonicalResponse;
}

export function passthroughJsonResponse(
  body: unknown,
  options: PassthroughResponseOptions,
  rules: PassthroughJsonRules,
): PassthroughResponse {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ProviderError({
      type: 'bad_upstream',
      message: `upstream sent a response body that is not a JSON object: ${JSON.stringify(body)?.slice(0, 200)}`,
    });
  }
  let response: CanonicalResponse;
  try {
    response = rules.parseResponse(body);
  } catch (error) {
    // An error the upstream reported inside a 200 body: the client gets it as the error it is.
    if (ProviderError.isProviderError(error)) throw error;
    response = { id: '', model: '', content: [], finishReason: 'other', usage: {} };
  }
  const to = options.rename?.to;
  const named = to !== undefined && Object.hasOwn(body, rules.modelKey);
  return { body: named ? { ...(body as Record<string, unknown>), [rules.modelKey]: to } : body, response };
}
