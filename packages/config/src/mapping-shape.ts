import type { PathKey } from './source-locator.ts';

const SECTIONS = ['server', 'streaming', 'providers', 'models'] as const;

/**
 * Paths where the config holds a list although a mapping belongs there. Valibot's object and
 * record schemas accept arrays (as objects keyed 0, 1, ...), which would make confusing errors.
 */
export function listsWhereMappingsBelong(raw: unknown): PathKey[][] {
  if (Array.isArray(raw)) return [[]];
  if (raw === null || typeof raw !== 'object') return [];
  const found: PathKey[][] = [];
  const config = raw as Record<string, unknown>;
  for (const name of SECTIONS) {
    const value = config[name];
    if (Array.isArray(value)) found.push([name]);
    else if ((name === 'providers' || name === 'models') && value && typeof value === 'object') {
      for (const [key, entry] of Object.entries(value)) {
        if (Array.isArray(entry)) found.push([name, key]);
        const headers = name === 'providers' ? (entry as { headers?: unknown } | null)?.headers : undefined;
        if (Array.isArray(headers)) found.push([name, key, 'headers']);
      }
    }
  }
  return found;
}
