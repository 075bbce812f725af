import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
export const RECIPE = fileURLToPath(new URL('./fixtures/recipe.yaml', import.meta.url));
export const KEYS = { OPENAI_API_KEY: 'sk-openai-secret-1', ANTHROPIC_API_KEY: 'sk-ant-secret-2' };

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `tokenpak` as a child process with exactly `env` (plus PATH), stdout piped. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...options.env }, timeout: 15_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A fresh directory holding `config.yaml` (the recipe's, or the given text). */
export function workdir(yaml?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tokenpak-cli-'));
  if (yaml === undefined) copyFileSync(RECIPE, join(dir, 'config.yaml'));
  else writeFileSync(join(dir, 'config.yaml'), yaml);
  return dir;
}
