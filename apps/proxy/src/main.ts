#!/usr/bin/env node
// `node apps/proxy/dist/main.js`: serve until SIGINT/SIGTERM, then drain open streams and exit.
import { InvalidConfigError, startProxyApp } from './start.ts';

const log = (line: string) => process.stderr.write(`${line}\n`);

try {
  const app = await startProxyApp({ log });
  log(`TokenPak proxy listening on ${app.url}`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    log(`${signal}: finishing open streams, then stopping`);
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  log(error instanceof InvalidConfigError ? `invalid config:\n${error.message}` : String(error));
  process.exit(1);
}
