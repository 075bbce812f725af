// Child process entry: the TokenPak proxy, composed the way the CLI composes it (config → gateway → Node
// listener), pointed at the fake upstream by the config in BENCH_PROXY_CONFIG_YAML, on 127.0.0.1:0.
// It runs in its own process so that its CPU time and RSS are its own, and the load client never shares
// its event loop. The per-request log line is off unless BENCH_PROXY_LOG=1 (then it goes to a file).
//
// A config that sets `server.workers` (the bench's --workers) is served by the CLI itself (`startProxy` of
// @tokenpak/cli, as `tokenpak proxy --workers N` runs it): this process becomes the cluster's primary and
// forks the CLI's worker entry. The CLI's workers write their log line as users get it (to stderr, which the
// bench sends to /dev/null unless BENCH_PROXY_LOG=1), so worker rows are compared with each other, not with
// the single-process rows.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@tokenpak/config';
import { createGateway, silentRequestLogger, stderrRequestLogger } from '@tokenpak/server';
import { serve } from '@tokenpak/server/node';
import { reportFailure, serveControl } from './child-control.mjs';

const quiet = { write() {}, color: false };

/** `tokenpak proxy` with this YAML as its config file, on a free loopback port. */
async function startWithCli(yaml) {
  const { startProxy } = await import('@tokenpak/cli');
  const dir = mkdtempSync(join(tmpdir(), 'tokenpak-bench-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, yaml);
  const running = await startProxy({
    config: file,
    host: '127.0.0.1',
    port: 0,
    stdout: quiet,
    stderr: quiet,
  });
  if (typeof running === 'number') throw new Error(`tokenpak proxy exited with code ${running}`);
  return {
    url: running.url,
    close: async () => {
      await running.stop(500);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

try {
  const yaml = process.env.BENCH_PROXY_CONFIG_YAML;
  if (!yaml) throw new Error('BENCH_PROXY_CONFIG_YAML is not set');
  const parsed = parseConfig(yaml, { env: {} });
  if (parsed.ok === false) {
    const messages = parsed.errors.map((issue) => `${issue.path}: ${issue.message}`);
    throw new Error(`bench proxy config is invalid:\n${messages.join('\n')}`);
  }
  if (/^\s+workers:/m.test(yaml)) {
    serveControl(await startWithCli(yaml));
  } else {
    const logger = process.env.BENCH_PROXY_LOG === '1' ? stderrRequestLogger : silentRequestLogger;
    const gateway = await createGateway(parsed.config, { logger });
    const server = await serve(gateway, { host: '127.0.0.1', port: 0 });
    serveControl({
      url: server.url,
      close: async () => {
        await server.close(500);
        await gateway.close(0);
      },
    });
  }
} catch (error) {
  reportFailure(error);
}
