/** Ollama errors: `{"error": "..."}` bodies (non-2xx) and lines (inside a 200 stream). */
import { errorTypeForStatus, ProviderError } from '@tokenpak/provider';

/** The message of an Ollama error body: `{error: "..."}`, `{error: {message}}`, or text. */
export function errorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() === '' ? undefined : body.trim();
  if (body === null || typeof body !== 'object') return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') return error;
  if (error !== null && typeof error === 'object') {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  return undefined;
}

/** A non-2xx answer → ProviderError with the HTTP status; a 404 is `not_found` (usually an unknown model). */
export function parseError(status: number, body: unknown, provider: string): ProviderError {
  const detail = errorMessage(body);
  const type = errorTypeForStatus(status);
  const message =
    type === 'not_found'
      ? `upstream ${provider} (ollama): ${detail ?? 'not found'}`
      : `upstream ${provider} (ollama) answered HTTP ${status}${detail ? `: ${detail}` : ''}`;
  return new ProviderError({ type, status, provider, message });
}

/** A `{"error": ...}` line inside a 200 stream: the model failed mid-answer. */
export function streamError(body: unknown, provider?: string): ProviderError {
  const detail = errorMessage(body) ?? 'unknown error';
  return new ProviderError({
    type: 'api_error',
    status: 500,
    ...(provider !== undefined && { provider }),
    message: `ollama failed during the stream: ${detail}`,
  });
}
