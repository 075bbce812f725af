import { readFile } from 'node:fs/promises';
import type { ConfigResult } from './issue.ts';
import { parseConfig } from './parse-config.ts';

/** The config file could not be read at all (missing, a directory, no permission). */
export class ConfigReadError extends Error {
  override readonly name = 'ConfigReadError';
  readonly kind = 'read' as const;
  constructor(
    readonly path: string,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`cannot read ${path}: ${describeCode(code)}`, options);
  }
}

export function isConfigReadError(error: unknown): error is ConfigReadError {
  return (
    error instanceof Error &&
    (error as { kind?: unknown }).kind === 'read' &&
    error.name === 'ConfigReadError'
  );
}

function describeCode(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return code ?? 'unknown error';
  }
}

/**
 * Reads and parses a config file. Issues name the file as given in `path`.
 * Rejects with ConfigReadError when the file cannot be read; bad content is an `ok: false` result.
 */
export async function loadConfig(
  path: string,
  options: { env?: Record<string, string | undefined> } = {},
): Promise<ConfigResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ConfigReadError(path, (cause as NodeJS.ErrnoException).code, { cause });
  }
  return parseConfig(text, { filename: path, ...options });
}
