// nginx as the reference target (`--with-nginx`): started from the nginx on PATH with a config written to a
// temp dir (`-p`, `daemon off`, so it is our child and stops with us), in front of the same fake upstream.
// Its handle looks like a proxy child's where the scenarios need it (url, usage(), stats(), close()).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { nginxConfig } from './nginx-config.mjs';
import { processTree, treeUsage } from './process-cpu.mjs';

/** Where Debian puts it; not on a non-root user's PATH, so looked at after PATH. */
const SBIN = ['/usr/sbin/nginx', '/usr/local/sbin/nginx'];

const live = new Set();
process.once('exit', () => {
  // Killing only the master would leave its worker running: kill the whole tree.
  for (const pid of live) for (const member of processTree(pid).reverse()) tryKill(member, 'SIGKILL');
});

/** The nginx binary: BENCH_NGINX, else the first `nginx` on PATH, else /usr/sbin. Null when there is none. */
export function findNginx(env = process.env) {
  if (env.BENCH_NGINX) return existsSync(env.BENCH_NGINX) ? env.BENCH_NGINX : null;
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const candidate of [...dirs.map((dir) => path.join(dir, 'nginx')), ...SBIN]) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** "nginx/1.22.1": `nginx -v` prints "nginx version: nginx/1.22.1" on stderr. */
export function nginxVersion(binary) {
  const { stderr, status } = spawnSync(binary, ['-v'], { encoding: 'utf8' });
  if (status !== 0 || typeof stderr !== 'string') return null;
  return stderr.trim().replace(/^nginx version:\s*/, '') || null;
}

/**
 * Starts nginx in front of `upstreamUrl` and waits until a request reaches the upstream through it.
 * @param {{ binary: string, upstreamUrl: string, workerConnections: number, rlimitNofile?: number, label?: string, readyTimeoutMs?: number }} options
 */
export async function startNginx(options) {
  const { label = 'nginx' } = options;
  // The port is found free by binding it and letting go, then handed to nginx: another process may take it
  // in between, so a start that fails on the address is tried again with another port.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, await freePort(), label);
    } catch (error) {
      const busy = error instanceof Error && /Address already in use/.test(error.message);
      if (!busy || attempt >= 3) throw error;
    }
  }
}

async function startOnce(options, port, label) {
  const { binary, upstreamUrl, workerConnections, rlimitNofile, readyTimeoutMs = 10_000 } = options;
  const prefix = await mkdtemp(path.join(os.tmpdir(), 'tokenpak-bench-nginx-'));
  const config = nginxConfig({
    prefix,
    port,
    upstream: new URL(upstreamUrl).host,
    workerConnections,
    rlimitNofile,
    user: process.getuid?.() === 0 ? 'root' : undefined,
  });
  const configFile = path.join(prefix, 'nginx.conf');
  await writeFile(configFile, config);
  const errorLog = path.join(prefix, 'error.log');
  // -e: nginx opens its compiled-in error log before it reads the config unless told otherwise.
  const child = spawn(binary, ['-p', prefix, '-c', configFile, '-e', errorLog], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk.toString()).slice(-4096);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let hasExited = false;
  exited.then(() => {
    hasExited = true;
    live.delete(child.pid);
  });
  live.add(child.pid);
  const url = `http://127.0.0.1:${port}`;
  const problem = () => `${stderr}${readText(errorLog)}`.trim();
  try {
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (hasExited) throw new Error(`${label} exited at start: ${problem()}`);
      if (await healthy(url)) break;
      if (Date.now() > deadline)
        throw new Error(`${label} did not answer within ${readyTimeoutMs} ms: ${problem()}`);
      await sleep(50);
    }
  } catch (error) {
    await stop(child.pid, exited);
    await rm(prefix, { recursive: true, force: true });
    throw error;
  }
  let closing;
  return {
    url,
    pid: child.pid,
    label,
    config,
    usage: () => treeUsage(child.pid),
    processCount: () => processTree(child.pid).length,
    /** The fields of a Node child's stats() that nginx has: RSS of master and worker, no heap. */
    async stats() {
      const usage = treeUsage(child.pid);
      return { rss: usage.rssBytes, heapUsed: null, external: null, arrayBuffers: null };
    },
    output: problem,
    close() {
      closing ??= stop(child.pid, exited).then(() => rm(prefix, { recursive: true, force: true }));
      return closing;
    },
  };
}

/** SIGTERM (nginx's fast shutdown: the master stops its worker), then SIGKILL to the tree if it lingers. */
async function stop(pid, exited, timeoutMs = 5000) {
  const tree = processTree(pid);
  tryKill(pid, 'SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(timeoutMs, true)]);
  if (timedOut) for (const member of tree.reverse()) tryKill(member, 'SIGKILL');
  await exited;
  live.delete(pid);
}

function tryKill(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function readText(file) {
  try {
    return readFileSync(file, 'utf8').slice(-4096);
  } catch {
    return '';
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** True when GET /health through nginx reaches the fake upstream and comes back 200. */
function healthy(url) {
  return new Promise((resolve) => {
    const req = request(`${url}/health`, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode === 200));
    });
    req.once('error', () => resolve(false));
    req.once('timeout', () => req.destroy());
    req.end();
  });
}
