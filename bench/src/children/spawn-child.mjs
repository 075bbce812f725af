// Starts a bench child process (fake upstream or proxy) with an IPC channel, waits until it reports its URL,
// and lets the parent ask it for its resource use and close it.
import { fork } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { processTree, treeUsage } from './process-cpu.mjs';

const STDERR_KEEP = 8192;
const live = new Set();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * @param {string} entry absolute path of the child's module
 * @param {{ env?: Record<string,string>, execArgv?: string[], args?: string[], readyTimeoutMs?: number, label?: string, stderrFile?: string }} [options]
 *   `stderrFile`: append the child's stderr to this file instead of piping it back (for chatty children).
 */
export function spawnChild(entry, options = {}) {
  const { env, execArgv = [], args = [], readyTimeoutMs = 30_000, label = entry, stderrFile } = options;
  const stderrFd = stderrFile ? openSync(stderrFile, 'a') : null;
  const child = fork(entry, args, {
    env: { ...process.env, ...env },
    execArgv,
    stdio: ['ignore', 'pipe', stderrFd ?? 'pipe', 'ipc'],
    serialization: 'json',
  });
  if (stderrFd !== null) closeSync(stderrFd);
  live.add(child);
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-STDERR_KEEP);
    if (process.env.BENCH_VERBOSE) process.stderr.write(chunk);
  };
  child.stdout.on('data', keep);
  child.stderr?.on('data', keep);

  const pending = new Map();
  let nextId = 1;
  let exited = false;
  const exitedPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      live.delete(child);
      for (const { reject } of pending.values()) reject(new Error(`${label} exited (${code ?? signal})`));
      pending.clear();
      resolve({ code, signal });
    });
  });

  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label} did not start within ${readyTimeoutMs} ms\n${output}`));
    }, readyTimeoutMs);
    child.on('message', (/** @type {any} */ message) => {
      if (message?.type === 'ready') {
        clearTimeout(timer);
        resolve(message.url);
      } else if (message?.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${label} failed to start: ${message.message}\n${output}`));
      } else if (message?.id !== undefined && pending.has(message.id)) {
        pending.get(message.id).resolve(message);
        pending.delete(message.id);
      }
    });
    exitedPromise.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited before it was ready (${code ?? signal})\n${output}`));
    });
  });

  return ready.then((url) => ({
    url,
    pid: child.pid,
    /** RSS, heap and CPU time of the child; `gc: true` collects garbage first (when the child has --expose-gc). */
    stats({ gc = false } = {}) {
      if (exited) return Promise.reject(new Error(`${label} has exited`));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ type: 'stats', id, gc });
      });
    },
    /**
     * CPU ms and RSS of the child and every process it started (workers), from /proc: the method used for
     * every target, nginx included (see process-cpu.mjs).
     */
    usage: () => treeUsage(child.pid),
    /** Processes in the child's tree (1 unless it forked workers). */
    processCount: () => processTree(child.pid).length,
    output: () => output,
    async close(timeoutMs = 15_000) {
      if (exited) return;
      child.send({ type: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exitedPromise;
      clearTimeout(timer);
    },
  }));
}
