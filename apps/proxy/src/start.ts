/**
 * The deployable proxy: load the config (TOKENPAK_CONFIG, else ./config.yaml, else the embedded default),
 * compose the gateway (config → providers → h3 app) and serve it on a Node listener.
 */
import { formatIssue, resolveConfigSource, type TokenPakConfig } from '@tokenpak/config';
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
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const source = await resolveConfigSource({
    file: options.configFile ?? env.TOKENPAK_CONFIG,
    cwd: options.cwd,
    env,
  });
  if (source.kind === 'embedded') {
    log('no config file: using the embedded default');
    for (const note of source.notes) log(`  ${note}`);
    return { config: source.config, baseDir: source.baseDir };
  }
  const { result } = source;
  for (const warning of result.warnings) log(formatIssue(warning));
  if (!result.ok) {
    throw new InvalidConfigError(result.errors.map((issue) => formatIssue(issue)).join('\n'));
  }
  return { config: result.config, baseDir: source.baseDir };
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
