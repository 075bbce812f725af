/** The strings of a provider entry that must never appear in errors or logs: the API key and auth headers. */
import type { ProviderConfigEntry } from '@tokenpak/provider';

const SECRET_HEADER = /authorization|api[-_]?key|token|secret|cookie/i;

export function providerSecrets(config: ProviderConfigEntry): string[] {
  const secrets: string[] = [];
  if (typeof config.api_key === 'string' && config.api_key !== '') secrets.push(config.api_key);
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    if (SECRET_HEADER.test(name) && typeof value === 'string' && value !== '') {
      secrets.push(value);
      const bearer = /^bearer\s+(.+)$/i.exec(value)?.[1];
      if (bearer) secrets.push(bearer);
    }
  }
  return secrets;
}
