/**
 * Errors in the Responses API's shapes, both ways.
 * - HTTP bodies are OpenAI's `{ "error": { "message", "type", "param", "code" } }` (the Chat Completions
 *   module reads and writes those; this one adds the codes Responses clients act on).
 * - In a stream, the API sends an `error` event and then `response.failed`, whose `response.error` is
 *   `{ code, message }`. Clients act on the code: Codex stops on `context_length_exceeded` and
 *   `insufficient_quota`, waits and retries on `rate_limit_exceeded` ("try again in 1.5s" in the message),
 *   and retries anything else; the `openai` SDK throws an APIError on the `error` event.
 */
import type { ErrorType, WireEvent } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { encodeError as encodeChatError, errorFromOpenAIObject } from '../chat/errors.ts';
import type { ResponsesErrorObject } from './wire-types.ts';

export { parseError } from '../chat/errors.ts';

/** Codes of `response.error` / `error` events → canonical types (checked before the error's `type`). */
const FROM_CODE: Record<string, { type: ErrorType; status: number; retryable?: boolean }> = {
  insufficient_quota: { type: 'rate_limit', status: 429, retryable: false },
  rate_limit_exceeded: { type: 'rate_limit', status: 429 },
  context_length_exceeded: { type: 'invalid_request', status: 400 },
  invalid_prompt: { type: 'invalid_request', status: 400 },
  invalid_image: { type: 'invalid_request', status: 400 },
  invalid_image_format: { type: 'invalid_request', status: 400 },
  invalid_base64_image: { type: 'invalid_request', status: 400 },
  invalid_image_url: { type: 'invalid_request', status: 400 },
  image_too_large: { type: 'invalid_request', status: 400 },
  image_too_small: { type: 'invalid_request', status: 400 },
  image_parse_error: { type: 'invalid_request', status: 400 },
  image_content_policy_violation: { type: 'invalid_request', status: 400 },
  unsupported_image_media_type: { type: 'invalid_request', status: 400 },
  server_error: { type: 'api_error', status: 500 },
  vector_store_timeout: { type: 'timeout', status: 504 },
};

/** An error reported inside a Responses stream (or a failed response body) → ProviderError. */
export function errorFromResponsesObject(
  object: ResponsesErrorObject,
  provider: string | undefined,
): ProviderError {
  const code = object.code === null || object.code === undefined ? undefined : String(object.code);
  const known = code === undefined ? undefined : FROM_CODE[code];
  const base = errorFromOpenAIObject(
    { message: object.message, type: object.type, code: object.code, param: object.param },
    provider,
    undefined,
  );
  if (!known) return base;
  return base.with({
    type: known.type,
    status: known.status,
    retryable:
      known.retryable ??
      (known.type === 'rate_limit' || known.type === 'api_error' || known.type === 'timeout'),
  });
}

const CONTEXT_LENGTH = /context (length|window)|prompt is too long|maximum context|too many (input )?tokens/i;

/**
 * The code a Responses client acts on, for any error: the upstream's own code when it has one, else one
 * from the type (`rate_limit_exceeded`; `context_length_exceeded` for a 400 that says the prompt is too long,
 * as Anthropic words it; `invalid_prompt` for other 400s; `server_error` for the rest).
 */
export function responsesErrorCode(error: ProviderError): string {
  if (error.code) return error.code;
  switch (error.type) {
    case 'rate_limit':
      return 'rate_limit_exceeded';
    case 'invalid_request':
    case 'request_too_large':
      return CONTEXT_LENGTH.test(error.message) ? 'context_length_exceeded' : 'invalid_prompt';
    default:
      return 'server_error';
  }
}

/**
 * An error as the client's HTTP response, in OpenAI's shape (529 served as 503, as for Chat Completions).
 * A rate limit or a too-long prompt without an upstream code gets the code Responses clients look for.
 */
export function encodeError(error: ProviderError): { status: number; body: Record<string, unknown> } {
  const out = encodeChatError(error);
  const wire = out.body.error as Record<string, unknown>;
  if (wire.code === null) {
    const code = responsesErrorCode(error);
    if (code === 'rate_limit_exceeded' || code === 'context_length_exceeded') wire.code = code;
  }
  return out;
}

/** The fields of an `error` stream event: flat as the SDK types it, and nested as the API sends it. */
export function errorEventPayload(error: ProviderError): Record<string, unknown> {
  const body = encodeError(error).body.error as Record<string, unknown>;
  const code = responsesErrorCode(error);
  return {
    type: 'error',
    code,
    message: error.message,
    param: error.param ?? null,
    error: { ...body, code },
  };
}

/**
 * An error after the stream has started, outside the encoder (a timeout, a cut fast-path stream): an `error`
 * event. The `openai` SDK throws an APIError on it (it holds `error`); Codex treats a stream that ends
 * without `response.completed` as retryable. The dialect interface keeps no per-stream state here, so this
 * event has no `sequence_number` and no `response.failed` follows (the encoder sends both when the canonical
 * stream carries the error).
 */
export function encodeErrorEvent(error: ProviderError): WireEvent {
  return { event: 'error', data: JSON.stringify(errorEventPayload(error)) };
}

/**
 * A stream event whose data is not JSON: an `event: error` is the upstream's error in words, anything else a
 * `bad_upstream`. The stream decoder and the passthrough watcher both word it so.
 */
export function notJsonEventError(event: string | undefined, data: string): ProviderError {
  if (event === 'error') return errorFromResponsesObject({ message: data }, undefined);
  const sample = data.length > 120 ? `${data.slice(0, 120)}…` : data;
  return new ProviderError({
    type: 'bad_upstream',
    message: `upstream sent an event that is not JSON: ${sample}`,
  });
}
