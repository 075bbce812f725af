import {
  type ConfigSource,
  isConfigReadError,
  resolveConfigSource,
  type TokenPakConfig,
} from '@tokenpak/config';
import { createGateway } from '@tokenpak/server';
import { PortInUseError, serve } from '@tokenpak/server/node';
import { defineCommand } from 'citty';
import { type Output, paint, streamOutput } from '../output.ts';
import { sampleCurl } from '../proxy/sample-curl.ts';
import { shutdownOnSignals } from '../proxy/shutdown-on-signals.ts';
import { reportConfig } from '../report-config.ts';
import { EXIT_INVALID, EXIT_UNREADABLE } from './validate-config.ts';

export interface ProxyOptions {
  config?: string;
  host?: string;
  port?: number;
  cwd?: string;
  env?: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
}

export interface RunningProxy {
  url: string;
  config: TokenPakConfig;
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
    reportConfig(source.result, stdout);
    if (!source.result.ok) return EXIT_INVALID;
    config = source.result.config;
  } else {
    stdout.write(
      `${paint(stdout.color, 'cyan', 'ℹ')} No --config and no config.yaml here: using the embedded default\n`,
    );
    for (const note of source.notes) stdout.write(`  ${note}\n`);
    config = source.config;
  }

  const gateway = await createGateway(config, { baseDir: source.baseDir });
  let server: Awaited<ReturnType<typeof serve>>;
  try {
    server = await serve(gateway, { host: options.host, port: options.port });
  } catch (error) {
    await gateway.close(0);
    if (error instanceof PortInUseError) {
      stderr.write(`${paint(stderr.color, 'red', '✖')} ${error.message}\n`);
      return EXIT_INVALID;
    }
    throw error;
  }
  stdout.write(
    `\n${paint(stdout.color, 'green', '✓')} TokenPak proxy listening on ${server.url}\n` +
      `  Models: ${Object.keys(config.models).join(', ')}\n` +
      `  Try it:\n\n${sampleCurl(config, server.url)}\n\n`,
  );
  return {
    url: server.url,
    config,
    async stop(graceMs) {
      await server.close(graceMs);
      await gateway.close(0);
    },
  };
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
    const running = await startProxy({ config: args.config, host: args.host, port, stdout, stderr });
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
