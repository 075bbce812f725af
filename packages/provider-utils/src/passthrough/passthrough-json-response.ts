/**
 * The same-dialect non-streamed answer, for a dialect's `passthroughResponse`: the upstream's JSON body with
 * every field kept and only the top-level model key set to the alias, and the answer in canonical terms from
 * the dialect's own `parseResponse`. A body the parser cannot read still goes to the client as sent (the
 * upstream accepted the request and answered 200): it is then known only as an answer with no usage.
 */
import type { CanonicalResponse, PassthroughResponse, PassthroughResponseOptions } from '@tokenpak/provider';

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
  let response: CanonicalResponse;
  try {
    response = rules.parseResponse(body);
  } catch {
    response = { id: '', model: '', content: [], finishReason: 'other', usage: {} };
  }
  const to = options.rename?.to;
  const named =
    to !== undefined &&
    body !== null &&
    typeof body === 'object' &&
    !Array.isArray(body) &&
    Object.hasOwn(body, rules.modelKey);
  return { body: named ? { ...(body as Record<string, unknown>), [rules.modelKey]: to } : body, response };
}
