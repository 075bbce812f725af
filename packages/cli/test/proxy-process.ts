import { type ChildProcess, spawn } from 'node:child_process';
import { BIN } from './run-cli.ts';

export interface ProxyProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/** Starts the built `tokenpak proxy` as a real process and waits for its ready banner (URL and sample curl). */
export function startProxyProcess(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<ProxyProcess> {
  return startProxyCommand(process.execPath, [BIN, 'proxy', ...args], options);
}

/**
 * Runs any command that ends up serving `tokenpak proxy` (e.g. `npx tokenpak proxy`) and waits for the banner.
 * `detached` puts it in its own process group (its pid is the group id), so every process it starts can be
 * found and ended.
 */
export function startProxyCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; detached?: boolean; startTimeoutMs?: number },
): Promise<ProxyProcess> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    out += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      if (options.detached && child.pid !== undefined) killGroup(child.pid);
      else child.kill('SIGKILL');
      reject(new Error(`proxy did not start:\n${out}`));
    }, options.startTimeoutMs ?? 15_000);
    const onData = () => {
      const match = /listening on (http:\/\/\S+)[\s\S]*--no-buffer\n/.exec(out);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve({ child, url: match[1]!, output: () => out, exited });
      }
    };
    child.stdout.on('data', onData);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`proxy exited with ${code} before listening:\n${out}`));
    });
  });
}

/** SIGKILLs a detached child's whole process group (nothing if it is already gone). */
export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {}
}
