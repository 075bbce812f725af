/**
 * The deployable proxy: load the config (TOKENPAK_CONFIG, else ./config.yaml, else the embedded default),
 * compose the gateway (config → providers → h3 app) and serve it with listhen.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defaultConfig, formatIssue, loadConfig, type TokenPakConfig } from '@tokenpak/config';
import { createGateway } from '@tokenpak/server';
import { serve } from '@tokenpak/server/node';

export interface StartOptions {
  /** Config file; default `TOKENPAK_CONFIG`, else `config.yaml` in `cwd` when present, else the embedded default. */
  configFile?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Overrides `server.host` / `server.port` (env `HOST` / `PORT` when not given). */
  host?: string;
  port?: number;
  log?: (line: string) => void;
}

export interface RunningApp {
  url: string;
  config: TokenPakConfig;
  stop(graceMs?: number): Promise<void>;
}

export class InvalidConfigError extends Error {
  override readonly name = 'InvalidConfigError';
}

async function loadAppConfig(options: StartOptions): Promise<{ config: TokenPakConfig; baseDir: string }> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const named = options.configFile ?? env.TOKENPAK_CONFIG;
  const file = named ?? (existsSync(resolve(cwd, 'config.yaml')) ? 'config.yaml' : undefined);
  if (file === undefined) {
    const { config, notes } = defaultConfig(env);
    log('no config file: using the embedded default');
    for (const note of notes) log(`  ${note}`);
    return { config, baseDir: cwd };
  }
  const path = resolve(cwd, file);
  const result = await loadConfig(path, { env });
  for (const warning of result.warnings) log(formatIssue(warning));
  if (!result.ok) {
    throw new InvalidConfigError(result.errors.map((issue) => formatIssue(issue)).join('\n'));
  }
  return { config: result.config, baseDir: dirname(path) };
}

export async function startProxyApp(options: StartOptions = {}): Promise<RunningApp> {
  const env = options.env ?? process.env;
  const { config, baseDir } = await loadAppConfig(options);
  const gateway = await createGateway(config, { baseDir });
  const port = options.port ?? (env.PORT ? Number(env.PORT) : undefined);
  const host = options.host ?? env.HOST;
  try {
    const server = await serve(gateway, { host, port });
    return {
      url: server.url,
      config,
      async stop(graceMs) {
        await server.close(graceMs);
        await gateway.close(0);
      },
    };
  } catch (error) {
    await gateway.close(0);
    throw error;
  }
}
