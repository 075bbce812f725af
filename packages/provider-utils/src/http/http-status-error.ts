/**
 * An upstream's non-2xx answer whose body the dialect cannot read as an error (an HTML page, plain text,
 * nothing): `upstream <provider> answered HTTP <status>: <the start of the text>`, the one wording every
 * provider uses for it.
 */
import { errorTypeForStatus, ProviderError } from '@tokenpak/provider';

/** Longest part of the body's text kept in the message. */
export const STATUS_TEXT_LIMIT = 500;

export function httpStatusError(status: number, text: string | undefined, provider: string): ProviderError {
  const snippet = (text ?? '').trim().slice(0, STATUS_TEXT_LIMIT);
  return new ProviderError({
    type: errorTypeForStatus(status),
    status,
    provider,
    message: `upstream ${provider} answered HTTP ${status}${snippet ? `: ${snippet}` : ''}`,
  });
}
