/**
 * The recordings these integration tests replay. Each package owns its own (`@tokenpak/openai`'s
 * `test/fixtures/openai*`, `@tokenpak/anthropic`'s `test/fixtures/anthropic`); this maps a
 * `<folder>/<file>` name to where it lives.
 */
import { readFileSync } from 'node:fs';

const HOMES: Record<string, string> = {
  openai: '../../../openai/test/fixtures/',
  'openai-compatible': '../../../openai/test/fixtures/',
  anthropic: '../../../anthropic/test/fixtures/',
  gemini: '../../../provider-utils/test/fixtures/',
  ollama: '../../../provider-utils/test/fixtures/',
};

/** `openai/chat-text-include-usage.sse` → its URL. */
export function fixtureUrl(name: string): URL {
  const folder = name.slice(0, name.indexOf('/'));
  const home = HOMES[folder];
  if (!home) throw new Error(`no fixture folder ${folder}`);
  return new URL(home + name, import.meta.url);
}

export function readFixture(name: string): string {
  return readFileSync(fixtureUrl(name), 'utf8');
}
