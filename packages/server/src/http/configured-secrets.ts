/**
 * Every secret the config holds: each provider entry's (`providerSecrets`, the one definition the providers
 * redact their own errors with: API key, auth-like headers, credential options) and the client keys
 * (`server.api_keys`). Strings shorter than 4 characters are left out (they would mask common words).
 * Longest first, so that a secret holding another (`Bearer <key>` and `<key>`) is masked whole.
 */
import { providerSecrets } from '@tokenpak/providers';
import type { TokenPakConfig } from '../config-types.ts';

export function configuredSecrets(config: TokenPakConfig): string[] {
  const secrets = new Set<string>();
  for (const entry of Object.values(config.providers))
    for (const secret of providerSecrets(entry)) secrets.add(secret);
  for (const key of config.server.api_keys ?? []) secrets.add(key);
  return [...secrets].filter((secret) => secret.length >= 4).sort((a, b) => b.length - a.length);
}
