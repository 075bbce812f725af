/**
 * Defence in depth: secrets must never reach logs, error bodies or /health. Every text the server emits that
 * may carry upstream words goes through a redactor built from the configured secrets (`configuredSecrets`).
 */
export type Redactor = (text: string) => string;

export function createRedactor(secrets: readonly string[]): Redactor {
  if (secrets.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
    return out;
  };
}
