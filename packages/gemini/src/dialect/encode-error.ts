/**
 * Errors as a Gemini client reads them: `{ "error": { "code", "message", "status" } }`, `code` the HTTP status
 * and `status` Google's RPC name, as an HTTP body and as an in-stream frame (the `@google/genai` SDK throws
 * an ApiError with `code` as its status on either).
 *
 *   invalid_request (and 406, 413)  → INVALID_ARGUMENT      rate_limit   → RESOURCE_EXHAUSTED
 *   authentication                  → UNAUTHENTICATED       overloaded   → UNAVAILABLE (529 served as 503)
 *   permission                      → PERMISSION_DENIED     timeout      → DEADLINE_EXCEEDED
 *   not_found                       → NOT_FOUND             network      → UNAVAILABLE
 *   api_error, bad_upstream         → INTERNAL
 *
 * The HTTP status is the error's own (a 502 stays 502). An upstream Gemini error keeps its RPC name (its
 * `code`, e.g. FAILED_PRECONDITION). A known wait (`retryAfter`) is also written the way Google writes it, a
 * `google.rpc.RetryInfo` detail.
 */
import type { ErrorType, ProviderError, WireEvent } from '@tokenpak/provider';

const RPC_BY_TYPE: Record<ErrorType, string> = {
  invalid_request: 'INVALID_ARGUMENT',
  authentication: 'UNAUTHENTICATED',
  permission: 'PERMISSION_DENIED',
  not_found: 'NOT_FOUND',
  request_too_large: 'INVALID_ARGUMENT',
  not_acceptable: 'INVALID_ARGUMENT',
  rate_limit: 'RESOURCE_EXHAUSTED',
  overloaded: 'UNAVAILABLE',
  timeout: 'DEADLINE_EXCEEDED',
  network: 'UNAVAILABLE',
  bad_upstream: 'INTERNAL',
  api_error: 'INTERNAL',
};

/** google.rpc.Code names: an error whose `code` is one of them came from Gemini and keeps it. */
const RPC_NAMES = new Set([
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
]);

export function geminiErrorStatus(error: ProviderError): { code: number; status: string } {
  const code = error.status === 529 ? 503 : error.status;
  const status = error.code !== undefined && RPC_NAMES.has(error.code) ? error.code : RPC_BY_TYPE[error.type];
  return { code, status: status ?? 'INTERNAL' };
}

function errorBody(error: ProviderError): Record<string, unknown> {
  const { code, status } = geminiErrorStatus(error);
  const details =
    error.retryAfter === undefined
      ? undefined
      : [
          {
            '@type': 'type.googleapis.com/google.rpc.RetryInfo',
            retryDelay: `${Math.max(1, Math.ceil(error.retryAfter))}s`,
          },
        ];
  return { error: { code, message: error.message, status, ...(details && { details }) } };
}

/** An error as the HTTP response a Gemini client expects. */
export function encodeError(error: ProviderError): { status: number; body: Record<string, unknown> } {
  return { status: geminiErrorStatus(error).code, body: errorBody(error) };
}

/** An error after the stream started: a data frame holding the error object (no event name, as Gemini's). */
export function encodeErrorEvent(error: ProviderError): WireEvent {
  return { data: JSON.stringify(errorBody(error)) };
}
