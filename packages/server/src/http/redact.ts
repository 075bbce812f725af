/**
 * Defence in depth: provider keys must never reach logs, error bodies or /health. Every text the server
 * emits that may carry upstream words goes through a redactor built from the configured keys.
 */
import type { TokenPakConfig } from '../config-types.ts';

export type Redactor = (text: string) => string;

export function createRedactor(config: TokenPakConfig): Redactor {
  const secrets: string[] = [];
  for (const entry of Object.values(config.providers)) {
    if (typeof entry.api_key === 'string' && entry.api_key.length >= 4) secrets.push(entry.api_key);
  }
  for (const key of config.server.api_keys ?? []) if (key.length >= 4) secrets.push(key);
  if (secrets.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
    return out;
  };
}
