/**
 * A non-2xx upstream response → ProviderError: the body (bounded) goes through the dialect's parseError,
 * `retry-after` is honoured, and secrets are removed from the message.
 */

import type { UpstreamDialect } from '@tokenpak/provider';
import { errorTypeForStatus, ProviderError } from '@tokenpak/provider';
import { openBytes } from './byte-reader.ts';
import { parseJsonOrText, readText } from './read-body.ts';
import { redactError, redactText } from './redact.ts';
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
    const snippet = redactText(text.slice(0, 300), options.secrets);
    error = new ProviderError({
      type: errorTypeForStatus(response.status),
      status: response.status,
      provider: options.provider,
      message: `upstream ${options.provider} answered HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`,
    });
  }
  const retryAfter = parseRetryAfter(
    headerValue(response.headers, 'retry-after'),
    headerValue(response.headers, 'retry-after-ms'),
  );
  if (retryAfter !== undefined && error.retryAfter === undefined) error = error.with({ retryAfter });
  return redactError(error, options.secrets);
}
