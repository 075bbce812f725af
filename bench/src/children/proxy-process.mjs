// Child process entry: the TokenPak proxy, composed the way the CLI composes it (config → gateway → Node
// listener), pointed at the fake upstream by the config in BENCH_PROXY_CONFIG_YAML, on 127.0.0.1:0.
// It runs in its own process so that its CPU time and RSS are its own, and the load client never shares
// its event loop. The per-request log line is off unless BENCH_PROXY_LOG=1 (then it goes to a file).
import cluster from 'node:cluster';
import { parseConfig } from '@tokenpak/config';
import { createGateway, silentRequestLogger, stderrRequestLogger } from '@tokenpak/server';
import { serve } from '@tokenpak/server/node';
import { reportFailure, serveControl } from './child-control.mjs';

try {
  const yaml = process.env.BENCH_PROXY_CONFIG_YAML;
  if (!yaml) throw new Error('BENCH_PROXY_CONFIG_YAML is not set');
  const parsed = parseConfig(yaml, { env: {} });
  if (parsed.ok === false) {
    const messages = parsed.errors.map((issue) => `${issue.path}: ${issue.message}`);
    throw new Error(`bench proxy config is invalid:\n${messages.join('\n')}`);
  }
  const logger = process.env.BENCH_PROXY_LOG === '1' ? stderrRequestLogger : silentRequestLogger;
  const gateway = await createGateway(parsed.config, { logger });
  const server = await serve(gateway, { host: '127.0.0.1', port: 0 });
  // With server.workers, a serve() built on node:cluster runs this module again in each worker: only the
  // primary speaks to the bench (a worker's process.send goes to the primary, not to us).
  if (cluster.isPrimary)
    serveControl({
      url: server.url,
      close: async () => {
        await server.close(500);
        await gateway.close(0);
      },
    });
} catch (error) {
  reportFailure(error);
}
