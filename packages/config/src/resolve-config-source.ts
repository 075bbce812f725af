import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defaultConfig } from './default-config.ts';
import type { ConfigResult } from './issue.ts';
import { loadConfig } from './load-config.ts';
import type { TokenPakConfig } from './types.ts';

/** Where a running proxy's config came from. */
export type ConfigSource =
  | { kind: 'file'; file: string; result: ConfigResult; baseDir: string }
  | { kind: 'embedded'; config: TokenPakConfig; notes: string[]; baseDir: string };

export interface ResolveConfigSourceOptions {
  /** A config file the user named (`--config`, `TOKENPAK_CONFIG`); resolved against `cwd`. */
  file?: string;
  /** Default: `process.cwd()`. */
  cwd?: string;
  /** Variables for `${VAR}` interpolation and for the embedded default's keys. Default: `process.env`. */
  env?: Record<string, string | undefined>;
}

/**
 * The config a proxy runs on: the named file; else `config.yaml` in `cwd`; else the embedded default (mock
 * provider, plus OpenAI / Anthropic when their keys are set). `baseDir` is where relative paths in the config
 * (third-party provider packages) resolve from. Rejects with ConfigReadError when the file cannot be read.
 * Used by both entry points (`tokenpak proxy` and apps/proxy), so they choose the same way.
 */
export async function resolveConfigSource(options: ResolveConfigSourceOptions = {}): Promise<ConfigSource> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const named = options.file ?? (existsSync(resolve(cwd, 'config.yaml')) ? 'config.yaml' : undefined);
  if (named === undefined) return { kind: 'embedded', ...defaultConfig(env), baseDir: cwd };
  const file = resolve(cwd, named);
  return { kind: 'file', file, result: await loadConfig(file, { env }), baseDir: dirname(file) };
}
