/**
 * A non-2xx upstream response → ProviderError: the body (bounded) goes through the dialect's parseError,
 * `retry-after` is honoured, and secrets are removed from the message.
 */

import type { ProviderError, UpstreamDialect } from '@tokenpak/provider';
import { openBytes } from './byte-reader.ts';
import { httpStatusError } from './http-status-error.ts';
import { parseJsonOrText, readText } from './read-body.ts';
import { redactError } from './redact.ts';
import { parseRetryAfter } from './retry-after.ts';
import type { UpstreamResponse } from './upstream-client.ts';

/** Error bodies larger than this are cut (they are only read for a message). */
export const ERROR_BODY_LIMIT = 64 * 1024;

export interface ErrorFromResponseOptions {
  dialect: Pick<UpstreamDialect<unknown>, 'parseError'>;
  provider: string;
  /** Strings that must never appear in the error (the API key). */
  secrets: readonly string[];
}

export function headerValue(headers: UpstreamResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export async function errorFromResponse(
  response: UpstreamResponse,
  options: ErrorFromResponseOptions,
): Promise<ProviderError> {
  let text = '';
  try {
    text = await readText(openBytes(response), ERROR_BODY_LIMIT);
  } catch {
    // The status is enough to go on when the body cannot be read.
  }
  const body = parseJsonOrText(text);
  let error: ProviderError;
  try {
    error = options.dialect.parseError(response.status, body, options.provider);
  } catch {
    error = httpStatusError(response.status, text, options.provider);
  }
  const retryAfter = parseRetryAfter(
    headerValue(response.headers, 'retry-after'),
    headerValue(response.headers, 'retry-after-ms'),
  );
  if (retryAfter !== undefined && error.retryAfter === undefined) error = error.with({ retryAfter });
  return redactError(error, options.secrets);
}
