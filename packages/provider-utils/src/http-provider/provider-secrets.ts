/**
 * The strings of a provider entry that must never appear in errors, logs or forwarded bytes: the API key,
 * the values of auth-like headers (and the token of a `Bearer` one), and every string option named like a
 * credential (Bedrock's `secret_access_key` and `session_token`, a third-party package's `client_secret`...).
 * The one definition: providers redact their errors with it, and the server its logs and the fast path.
 */
import type { ProviderConfigEntry } from '@tokenpak/provider';

const SECRET_HEADER = /authorization|api[-_]?key|token|secret|cookie/i;
/** `api_key`, `secret_access_key`, `session_token`, `client_secret`, `password`; not `max_tokens`. */
const SECRET_OPTION = /(^|_)(api_?key|secret|token|password)(_|$)/i;

export function providerSecrets(config: ProviderConfigEntry): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(config)) {
    if (SECRET_OPTION.test(name) && typeof value === 'string' && value !== '') secrets.push(value);
  }
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    if (SECRET_HEADER.test(name) && typeof value === 'string' && value !== '') {
      secrets.push(value);
      const bearer = /^bearer\s+(.+)$/i.exec(value)?.[1];
      if (bearer) secrets.push(bearer);
    }
  }
  return secrets;
}
