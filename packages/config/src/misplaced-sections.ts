import type { PathKey } from './source-locator.ts';

const SECTIONS = ['server', 'streaming', 'providers', 'models'] as const;

/** The key an entry of each section must have; server and streaming have no named entries. */
const ENTRY_KEY: Record<(typeof SECTIONS)[number], string | undefined> = {
  server: undefined,
  streaming: undefined,
  providers: 'type',
  models: 'provider',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Top-level sections written one level too deep (`models:` indented under `providers:`): the path of
 * each, e.g. ['providers', 'models']. A provider really named `models` (it has a `type`) is not one.
 */
export function misplacedSections(raw: unknown): PathKey[][] {
  if (!isRecord(raw)) return [];
  const found: PathKey[][] = [];
  for (const section of SECTIONS) {
    const value = raw[section];
    if (!isRecord(value)) continue;
    const required = ENTRY_KEY[section];
    for (const name of SECTIONS) {
      if (name === section || !(name in value)) continue;
      const entry = value[name];
      if (required === undefined || !isRecord(entry) || !(required in entry)) found.push([section, name]);
    }
  }
  return found;
}

export function misplacedSectionMessage(name: string): string {
  return `'${name}' is a top-level section: did you mean to put ${name}: at the top level (no indentation)?`;
}
