/**
 * Errors in Anthropic's wire format: `{ "type": "error", "error": { "type", "message" } }`, as an HTTP body,
 * as an in-stream `event: error`, and parsed back from an upstream.
 */

import type { WireEvent } from '@tokenpak/provider';
import { type ErrorType, errorTypeForStatus, ProviderError } from '@tokenpak/provider';
import { httpStatusError } from '@tokenpak/provider-utils';
import type { AnthropicErrorBody } from './wire-types.ts';

/** Canonical type → Anthropic `error.type` (Anthropic's documented error types). */
const ANTHROPIC_TYPE: Record<ErrorType, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  request_too_large: 'request_too_large',
  // Anthropic has no type of its own for 406; the status says it.
  not_acceptable: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  overloaded: 'overloaded_error',
  timeout: 'timeout_error',
  // An unreachable or garbled upstream is a server-side failure to the client (status 502).
  network: 'api_error',
  bad_upstream: 'api_error',
  api_error: 'api_error',
};

/** Anthropic `error.type` → canonical type and the status Anthropic pairs with it. */
const CANONICAL_TYPE: Record<string, ErrorType> = {
  invalid_request_error: 'invalid_request',
  authentication_error: 'authentication',
  billing_error: 'permission',
  permission_error: 'permission',
  not_found_error: 'not_found',
  request_too_large: 'request_too_large',
  rate_limit_error: 'rate_limit',
  api_error: 'api_error',
  timeout_error: 'timeout',
  overloaded_error: 'overloaded',
};

export function anthropicErrorType(error: ProviderError): string {
  return ANTHROPIC_TYPE[error.type] ?? 'api_error';
}

function errorBody(error: ProviderError): Record<string, unknown> {
  return { type: 'error', error: { type: anthropicErrorType(error), message: error.message } };
}

/** An error as the HTTP response an Anthropic client expects. The status is the error's own. */
export function encodeError(error: ProviderError): { status: number; body: Record<string, unknown> } {
  return { status: error.status, body: errorBody(error) };
}

/** An error after the stream has started: `event: error`, after which nothing more is sent. */
export function encodeErrorEvent(error: ProviderError): WireEvent {
  return { event: 'error', data: JSON.stringify(errorBody(error)) };
}

/** An Anthropic error object (from a body or an `event: error`) → ProviderError. */
export function errorFromAnthropic(
  error: { type?: unknown; message?: unknown } | undefined,
  status: number | undefined,
  provider?: string,
): ProviderError {
  const wireType = typeof error?.type === 'string' ? error.type : undefined;
  const type = (wireType && CANONICAL_TYPE[wireType]) || (status ? errorTypeForStatus(status) : 'api_error');
  const message =
    typeof error?.message === 'string' && error.message
      ? error.message
      : `upstream error${wireType ? ` ${wireType}` : ''}${status ? ` (HTTP ${status})` : ''}`;
  return new ProviderError({ type, message, status, provider, code: wireType });
}

/**
 * Upstream non-2xx body → ProviderError with the upstream's status, type and message.
 * `body` is the parsed JSON, or the text when it was not JSON, or empty.
 */
export function parseError(status: number, body: unknown, provider: string): ProviderError {
  let value = body;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('{')) {
      try {
        value = JSON.parse(text);
      } catch {
        // Not JSON after all: use the text as the message.
      }
    }
  }
  if (value && typeof value === 'object') {
    const error = (value as AnthropicErrorBody).error;
    if (error && typeof error === 'object') return errorFromAnthropic(error, status, provider);
  }
  return httpStatusError(status, typeof value === 'string' ? value : undefined, provider);
}

/** A stream event whose data is not JSON; the stream decoder and the passthrough watcher both word it so. */
export function notJsonEventError(data: string): ProviderError {
  return new ProviderError({
    type: 'bad_upstream',
    message: `upstream sent an event that is not JSON: ${data.slice(0, 200)}`,
  });
}
