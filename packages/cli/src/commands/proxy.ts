import {
  type ConfigSource,
  isConfigReadError,
  resolveConfigSource,
  type TokenPakConfig,
} from '@tokenpak/config';
import { ProviderSetupError } from '@tokenpak/providers';
import { createGateway } from '@tokenpak/server';
import { ListenError, serve } from '@tokenpak/server/node';
import { defineCommand } from 'citty';
import { checkProviderPackages } from '../check-provider-packages.ts';
import { type Output, paint, streamOutput } from '../output.ts';
import { ClusterStartError, startCluster } from '../proxy/cluster-primary.ts';
import { parseWorkersArg, resolveWorkers, type WorkersSetting } from '../proxy/resolve-workers.ts';
import { sampleCurl } from '../proxy/sample-curl.ts';
import { shutdownOnSignals } from '../proxy/shutdown-on-signals.ts';
import { reportConfig } from '../report-config.ts';
import { EXIT_INVALID, EXIT_UNREADABLE } from './validate-config.ts';

export interface ProxyOptions {
  config?: string;
  host?: string;
  port?: number;
  /** Worker processes (`--workers`); default `server.workers` (1: one process, no cluster). */
  workers?: WorkersSetting;
  cwd?: string;
  env?: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
}

export interface RunningProxy {
  url: string;
  config: TokenPakConfig;
  /** Worker processes serving (1: this process serves, no cluster). */
  workers: number;
  /** Graceful stop: stop accepting, drain open streams within the grace period, close pools. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Validates the config (same report as validate-config), then serves it. Resolves to the running proxy,
 * or to an exit code when it cannot start (1 invalid config or port in use, 2 unreadable file).
 */
export async function startProxy(options: ProxyOptions): Promise<RunningProxy | number> {
  const { stdout, stderr } = options;
  let source: ConfigSource;
  try {
    source = await resolveConfigSource({ file: options.config, cwd: options.cwd, env: options.env });
  } catch (error) {
    if (!isConfigReadError(error)) throw error;
    stderr.write(`${paint(stderr.color, 'red', '✖')} ${error.message}\n`);
    return EXIT_UNREADABLE;
  }
  let config: TokenPakConfig;
  if (source.kind === 'file') {
    // The provider packages' own options too (built-in gemini/ollama/bedrock and type: custom), at line:col.
    const result = await checkProviderPackages(source.result, source.file);
    reportConfig(result, stdout);
    if (!result.ok) return EXIT_INVALID;
    config = result.config;
  } else {
    stdout.write(
      `${paint(stdout.color, 'cyan', 'ℹ')} No --config and no config.yaml here: using the embedded default\n`,
    );
    for (const note of source.notes) stdout.write(`  ${note}\n`);
    config = source.config;
  }

  const workers = resolveWorkers(options.workers ?? config.server.workers);
  if (workers > 1) return startWorkers(config, source.baseDir, workers, options);

  let gateway: Awaited<ReturnType<typeof createGateway>>;
  try {
    gateway = await createGateway(config, { baseDir: source.baseDir });
  } catch (error) {
    // A provider that cannot be set up (a package that fails to load, credentials it cannot find): its message.
    if (!(error instanceof ProviderSetupError)) throw error;
    stderr.write(`${paint(stderr.color, 'red', '✖')} ${error.message}\n`);
    return EXIT_INVALID;
  }
  let server: Awaited<ReturnType<typeof serve>>;
  try {
    server = await serve(gateway, { host: options.host, port: options.port });
  } catch (error) {
    await gateway.close(0);
    if (error instanceof ListenError) {
      stderr.write(`${paint(stderr.color, 'red', '✖')} ${error.message}\n`);
      return EXIT_INVALID;
    }
    throw error;
  }
  stdout.write(banner(config, server.url, stdout));
  return {
    url: server.url,
    config,
    workers: 1,
    async stop(graceMs) {
      await server.close(graceMs);
      await gateway.close(0);
    },
  };
}

function banner(config: TokenPakConfig, url: string, stdout: Output, workersLine = ''): string {
  return (
    `\n${paint(stdout.color, 'green', '✓')} TokenPak proxy listening on ${url}\n` +
    workersLine +
    `  Models: ${Object.keys(config.models).join(', ')}\n` +
    `  Try it:\n\n${sampleCurl(config, url)}\n\n`
  );
}

/** `--workers N` (N > 1): this process becomes the cluster's primary and serves through N workers. */
async function startWorkers(
  config: TokenPakConfig,
  baseDir: string,
  workers: number,
  options: ProxyOptions,
): Promise<RunningProxy | number> {
  const { stdout, stderr } = options;
  try {
    const running = await startCluster({
      config,
      baseDir,
      workers,
      host: options.host ?? config.server.host,
      port: options.port ?? config.server.port,
      log: (line) => stderr.write(`${line}\n`),
    });
    stdout.write(
      banner(config, running.url, stdout, `  Workers: ${workers} (pids ${running.pids.join(', ')})\n`),
    );
    return { url: running.url, config, workers, stop: (graceMs) => running.stop(graceMs) };
  } catch (error) {
    if (!(error instanceof ClusterStartError)) throw error;
    stderr.write(`${paint(stderr.color, 'red', '✖')} ${error.message}\n`);
    return EXIT_INVALID;
  }
}

export const proxyCommand = defineCommand({
  meta: {
    name: 'proxy',
    description: 'Validate the config, then serve the proxy (embedded default config when there is none).',
  },
  args: {
    config: {
      type: 'string',
      alias: 'c',
      description: 'Config file (default: ./config.yaml, else embedded)',
    },
    port: { type: 'string', alias: 'p', description: 'Port to listen on (default: server.port, 8000)' },
    host: { type: 'string', description: 'Interface to bind (default: server.host, 127.0.0.1)' },
    workers: {
      type: 'string',
      alias: 'w',
      description:
        "Worker processes on the one port, or 'auto' for one per core (default: server.workers, 1)",
    },
  },
  async run({ args }) {
    const stdout = streamOutput(process.stdout);
    const stderr = streamOutput(process.stderr);
    let port: number | undefined;
    if (args.port !== undefined) {
      port = Number(args.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        stderr.write(`${paint(stderr.color, 'red', '✖')} --port must be a number from 0 to 65535\n`);
        process.exitCode = EXIT_INVALID;
        return;
      }
    }
    let workers: WorkersSetting | undefined;
    if (args.workers !== undefined) {
      workers = parseWorkersArg(args.workers);
      if (workers === undefined) {
        stderr.write(`${paint(stderr.color, 'red', '✖')} --workers must be a whole number >= 1 or auto\n`);
        process.exitCode = EXIT_INVALID;
        return;
      }
    }
    const running = await startProxy({ config: args.config, host: args.host, port, workers, stdout, stderr });
    if (typeof running === 'number') {
      process.exitCode = running;
      return;
    }
    shutdownOnSignals(
      async (signal) => {
        stdout.write(`${signal}: finishing open streams, then stopping\n`);
        await running.stop();
        stdout.write('Stopped.\n');
      },
      (line) => stderr.write(`${line}\n`),
    );
  },
});
