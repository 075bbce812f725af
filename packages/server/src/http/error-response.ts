/** Errors as HTTP responses: in the client's dialect for API routes, plain JSON elsewhere. */
import type { Dialect, ProviderError } from '@tokenpak/providers';
import type { Redactor } from './redact.ts';

/** A copy of the error whose message has every known secret removed. */
export function redactError(error: ProviderError, redact: Redactor): ProviderError {
  const message = redact(error.message);
  return message === error.message ? error : error.with({ message, cause: undefined });
}

export function dialectErrorResponse(
  dialect: Dialect,
  error: ProviderError,
  redact: Redactor,
  headers: Record<string, string>,
): Response {
  const { status, body } = dialect.encodeError(redactError(error, redact));
  const out: Record<string, string> = { ...headers, 'content-type': 'application/json' };
  if (error.retryAfter !== undefined) out['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfter)));
  return new Response(JSON.stringify(body), { status, headers: out });
}

/** For routes outside any dialect (unknown paths): `{"error":{"type","message"}}`. */
export function plainErrorResponse(
  status: number,
  type: string,
  message: string,
  headers: Record<string, string>,
): Response {
  return new Response(JSON.stringify({ error: { type, message } }), {
    status,
    headers: { ...headers, 'content-type': 'application/json' },
  });
}
