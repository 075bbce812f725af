import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type ConfigResult, defaultConfig, loadConfig, type TokenPakConfig } from '@tokenpak/config';

/** Where the proxy's config came from. */
export type ConfigSource =
  | { kind: 'file'; file: string; result: ConfigResult }
  | { kind: 'embedded'; config: TokenPakConfig; notes: string[] };

/**
 * The config `tokenpak proxy` runs on: the file named by --config; else `config.yaml` in the working
 * directory; else the embedded default (mock provider, plus OpenAI / Anthropic when their keys are set).
 * Rejects with ConfigReadError when a named or found file cannot be read.
 */
export async function resolveProxyConfig(options: {
  file?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
}): Promise<ConfigSource> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const candidate = options.file ?? (existsSync(resolve(cwd, 'config.yaml')) ? 'config.yaml' : undefined);
  if (candidate === undefined) return { kind: 'embedded', ...defaultConfig(env) };
  const file = resolve(cwd, candidate);
  return { kind: 'file', file, result: await loadConfig(file, { env }) };
}

/** Directory that relative paths in the config (third-party provider packages) resolve from. */
export function configBaseDir(source: ConfigSource, cwd = process.cwd()): string {
  return source.kind === 'file' ? dirname(source.file) : cwd;
}
