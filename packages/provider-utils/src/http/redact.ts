/** Keeps secrets (API keys) out of error messages built from what an upstream sent back. */
import type { ProviderError } from '@tokenpak/provider';

/** Replaces every occurrence of each secret (4+ characters) with `[redacted]`. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join('[redacted]');
  }
  return out;
}

/** The same error with secrets removed from its message (the error itself when there is nothing to remove). */
export function redactError(error: ProviderError, secrets: readonly string[]): ProviderError {
  const message = redactText(error.message, secrets);
  return message === error.message ? error : error.with({ message, cause: undefined });
}
