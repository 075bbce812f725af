/**
 * Errors in OpenAI's shape, both ways: `{ "error": { "message", "type", "param", "code" } }`.
 * https://platform.openai.com/docs/guides/error-codes
 */

import type { WireEvent } from '@tokenpak/provider';
import { type ErrorType, errorTypeForStatus, ProviderError } from '@tokenpak/provider';
import { httpStatusError } from '@tokenpak/provider-utils';
import type { OpenAIErrorObject } from './wire-types.ts';

const OPENAI_TYPE: Record<ErrorType, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  request_too_large: 'invalid_request_error',
  not_acceptable: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  overloaded: 'server_error',
  timeout: 'server_error',
  network: 'server_error',
  bad_upstream: 'server_error',
  api_error: 'server_error',
};

/** OpenAI (and compatible servers') `error.type` strings → our types, for errors that arrive without a status. */
const FROM_OPENAI_TYPE: Record<string, ErrorType> = {
  invalid_request_error: 'invalid_request',
  authentication_error: 'authentication',
  permission_error: 'permission',
  permission_denied: 'permission',
  not_found_error: 'not_found',
  rate_limit_error: 'rate_limit',
  rate_limit_exceeded: 'rate_limit',
  requests: 'rate_limit',
  tokens: 'rate_limit',
  insufficient_quota: 'rate_limit',
  overloaded_error: 'overloaded',
  server_error: 'api_error',
  api_error: 'api_error',
  timeout: 'timeout',
};

/**
 * OpenAI's own codes that it sends as `invalid_request_error` whatever the status: a 404 for an unknown
 * model and a 401 for a bad key are both typed so by OpenAI (and its clients may check).
 */
const INVALID_REQUEST_CODES = new Set(['model_not_found', 'invalid_api_key']);

function wireError(error: ProviderError): Record<string, unknown> {
  return {
    message: error.message,
    type:
      error.code !== undefined && INVALID_REQUEST_CODES.has(error.code)
        ? 'invalid_request_error'
        : OPENAI_TYPE[error.type],
    param: error.param ?? null,
    code: error.code ?? null,
  };
}

/**
 * An error as the client's HTTP response. Anthropic's 529 (overloaded) is served as 503 here: OpenAI clients
 * know 503, and retry it like any 5xx.
 */
export function encodeError(error: ProviderError): { status: number; body: Record<string, unknown> } {
  const status = error.status === 529 ? 503 : error.status;
  return { status, body: { error: wireError(error) } };
}

/**
 * An error after the stream has started: a data chunk holding only `error` (the `openai` SDK throws an
 * APIError when it reads one). No `event:` name, and no `[DONE]` follows.
 */
export function encodeErrorEvent(error: ProviderError): WireEvent {
  return { data: JSON.stringify({ error: wireError(error) }) };
}

/** Masks anything that looks like an API key, should an upstream echo one back in a message. */
function redactKeys(text: string): string {
  return text.replace(/\b(sk|gsk|xai|pk|rk)-[A-Za-z0-9_*.-]{8,}/g, '$1-***');
}

const MAX_TEXT = 1000;

function asText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  return undefined;
}

/** Builds a ProviderError from an OpenAI-style error object, as found in a body or in a stream chunk. */
export function errorFromOpenAIObject(
  object: OpenAIErrorObject | string,
  provider: string | undefined,
  status: number | undefined,
): ProviderError {
  if (typeof object === 'string') {
    const type = status === undefined ? 'api_error' : errorTypeForStatus(status);
    return new ProviderError({ type, status, provider, message: redactKeys(object.slice(0, MAX_TEXT)) });
  }
  const code = object.code === null || object.code === undefined ? undefined : String(object.code);
  const httpStatus = status ?? (typeof object.status_code === 'number' ? object.status_code : undefined);
  const type =
    httpStatus !== undefined
      ? errorTypeForStatus(httpStatus)
      : (FROM_OPENAI_TYPE[object.type ?? ''] ?? (code ? FROM_OPENAI_TYPE[code] : undefined) ?? 'api_error');
  const message = asText(object.message) ?? `upstream error${object.type ? ` (${object.type})` : ''}`;
  return new ProviderError({
    type,
    status: httpStatus,
    provider,
    code,
    param: asText(object.param),
    message: redactKeys(message.slice(0, MAX_TEXT)),
    // Running out of credit is a 429 that no retry can fix.
    retryable: code === 'insufficient_quota' || object.type === 'insufficient_quota' ? false : undefined,
  });
}

/**
 * An upstream's non-2xx answer → ProviderError with the upstream's status, type, code and message.
 * `body` may be parsed JSON, raw text (JSON or not), bytes, or empty. Only the body is read: request
 * headers and keys never reach the error.
 */
export function parseError(status: number, body: unknown, provider: string): ProviderError {
  let value = body;
  if (value instanceof Uint8Array) value = new TextDecoder().decode(value);
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('{') || text.startsWith('[')) {
      try {
        value = JSON.parse(text);
      } catch {
        value = text;
      }
    } else {
      value = text;
    }
  }
  if (Array.isArray(value)) value = value[0]; // some gateways wrap the error in a one-element array
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const inner = record.error;
    if (inner !== null && typeof inner === 'object') {
      return errorFromOpenAIObject(inner as OpenAIErrorObject, provider, status);
    }
    // vLLM / FastAPI answer `{ "object": "error", "message", "type", "code" }` or `{ "detail": "..." }`.
    const message = asText(inner) ?? asText(record.message) ?? asText(record.detail);
    if (message !== undefined) {
      return errorFromOpenAIObject(
        { message, type: asText(record.type), code: asText(record.code) },
        provider,
        status,
      );
    }
  }
  // Text (an HTML error page) or nothing: worded as every provider words it, a key it echoes masked.
  return httpStatusError(status, typeof value === 'string' ? redactKeys(value) : undefined, provider);
}

/**
 * A stream event whose data is not JSON: an `event: error` is the upstream's error in words, anything else a
 * `bad_upstream`. The stream decoder and the passthrough watcher both word it so.
 */
export function notJsonChunkError(event: string | undefined, data: string): ProviderError {
  if (event === 'error')
    return errorFromOpenAIObject(data || 'upstream sent an error event', undefined, undefined);
  const sample = data.length > 120 ? `${data.slice(0, 120)}…` : data;
  return new ProviderError({
    type: 'bad_upstream',
    message: `upstream sent a chunk that is not JSON: ${sample}`,
  });
}
