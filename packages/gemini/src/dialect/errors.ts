/**
 * Gemini errors: `{ "error": { "code": 429, "message": "...", "status": "RESOURCE_EXHAUSTED", "details": [...] } }`
 * (sometimes wrapped in a one-element array), as a non-2xx body or in place of a stream frame.
 */
import { type ErrorType, errorTypeForStatus, ProviderError } from '@tokenpak/provider';
import { httpStatusError } from '@tokenpak/provider-utils';
import type { GeminiErrorObject } from './wire-types.ts';

/** Google RPC status → canonical type. */
const CANONICAL_TYPE: Record<string, ErrorType> = {
  INVALID_ARGUMENT: 'invalid_request',
  FAILED_PRECONDITION: 'invalid_request',
  OUT_OF_RANGE: 'invalid_request',
  UNAUTHENTICATED: 'authentication',
  // Gemini answers 403 PERMISSION_DENIED for a missing, unknown or unauthorised key.
  PERMISSION_DENIED: 'authentication',
  NOT_FOUND: 'not_found',
  RESOURCE_EXHAUSTED: 'rate_limit',
  UNAVAILABLE: 'overloaded',
  DEADLINE_EXCEEDED: 'timeout',
  INTERNAL: 'api_error',
  UNKNOWN: 'api_error',
  CANCELLED: 'api_error',
  ABORTED: 'api_error',
};

/** A Gemini error object → ProviderError. `status` is the HTTP status (the body's `code` when absent). */
export function errorFromGemini(
  error: GeminiErrorObject,
  status: number | undefined,
  provider?: string,
): ProviderError {
  const rpc = typeof error.status === 'string' ? error.status : undefined;
  const httpStatus = status ?? (typeof error.code === 'number' && error.code >= 400 ? error.code : undefined);
  // "API key not valid" comes as 400 INVALID_ARGUMENT with reason API_KEY_INVALID.
  const keyInvalid =
    Array.isArray(error.details) && error.details.some((d) => d?.reason === 'API_KEY_INVALID');
  const type: ErrorType = keyInvalid
    ? 'authentication'
    : (rpc && CANONICAL_TYPE[rpc]) || (httpStatus ? errorTypeForStatus(httpStatus) : 'api_error');
  const message =
    typeof error.message === 'string' && error.message
      ? error.message
      : `upstream error${rpc ? ` ${rpc}` : ''}${httpStatus ? ` (HTTP ${httpStatus})` : ''}`;
  return new ProviderError({
    type,
    message,
    ...(httpStatus !== undefined && { status: httpStatus }),
    ...(provider !== undefined && { provider }),
    ...(rpc !== undefined && { code: rpc }),
  });
}

/** The error object of a parsed body, if it is Gemini's shape. */
export function geminiErrorOf(value: unknown): GeminiErrorObject | undefined {
  const body = Array.isArray(value) ? value[0] : value;
  if (!body || typeof body !== 'object') return undefined;
  const error = (body as { error?: unknown }).error;
  return error && typeof error === 'object' ? (error as GeminiErrorObject) : undefined;
}

/**
 * Upstream non-2xx body → ProviderError with the upstream's status, type and message.
 * `body` is the parsed JSON, or the text when it was not JSON, or empty.
 */
export function parseError(status: number, body: unknown, provider: string): ProviderError {
  let value = body;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('{') || text.startsWith('[')) {
      try {
        value = JSON.parse(text);
      } catch {
        // Not JSON after all: the text is the message.
      }
    }
  }
  const error = geminiErrorOf(value);
  if (error) return errorFromGemini(error, status, provider);
  return httpStatusError(status, typeof value === 'string' ? value : undefined, provider);
}

/** A stream frame whose data is not JSON; the stream decoder and the passthrough watcher both word it so. */
export function notJsonFrameError(data: string): ProviderError {
  return new ProviderError({
    type: 'bad_upstream',
    message: `upstream sent a frame that is not JSON: ${data.slice(0, 200)}`,
  });
}
