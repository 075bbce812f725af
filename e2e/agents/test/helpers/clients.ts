/**
 * Runs the real agent clients from npm (never stubs): Claude Code (`claude -p`) and Codex CLI
 * (`codex exec`), headless, with HOME / CODEX_HOME in a fresh temporary folder and stdin closed.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** The temporary folder the client ran in (its cwd). */
  dir: string;
}

const tempDirs: string[] = [];

/** A fresh temporary folder, prefixed for easy spotting. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tp-e2e-${label}-`));
  tempDirs.push(dir);
  return dir;
}

/** Removes the clients' temporary folders (kept when TP_E2E_KEEP is set, for a look inside). */
export function removeTempDirs(): void {
  if (process.env.TP_E2E_KEEP) return;
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs: number) {
  return new Promise<RunResult>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Math.round(performance.now() - started), dir: cwd });
    });
  });
}

/** Only what the clients need from the parent environment (no keys, no proxies to the outside). */
function baseEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    TMPDIR: tmpdir(),
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  };
}

// ---- Claude Code --------------------------------------------------------------------------------

const CLAUDE_PACKAGE_DIR = dirname(require.resolve('@anthropic-ai/claude-code/package.json'));
const CLAUDE_BIN = join(CLAUDE_PACKAGE_DIR, 'bin', 'claude.exe');

/**
 * The package ships a placeholder `bin/claude.exe`; its postinstall (`node install.cjs`) puts the native
 * binary from the platform package in its place. pnpm runs it when approved (`allowBuilds` in
 * pnpm-workspace.yaml); when the install scripts were skipped anyway, run it here.
 */
export function ensureClaudeBinary(): string {
  const isNative = () => {
    // ELF (Linux), Mach-O (macOS) or PE (Windows): anything but the placeholder script.
    const head = Buffer.alloc(4);
    const fd = openSync(CLAUDE_BIN, 'r');
    try {
      readSync(fd, head, 0, 4, 0);
    } finally {
      closeSync(fd);
    }
    return (
      head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) ||
      [0xfeedfacf, 0xcffaedfe].includes(head.readUInt32BE(0)) ||
      head.subarray(0, 2).toString('latin1') === 'MZ'
    );
  };
  if (!isNative()) {
    const result = spawnSync(process.execPath, ['install.cjs'], {
      cwd: CLAUDE_PACKAGE_DIR,
      encoding: 'utf8',
    });
    if (result.status !== 0 || !isNative()) {
      throw new Error(`Claude Code's install.cjs did not install the native binary:\n${result.stderr}`);
    }
  }
  return CLAUDE_BIN;
}

export function claudeVersion(): string {
  return spawnSync(ensureClaudeBinary(), ['--version'], { encoding: 'utf8' }).stdout.trim();
}

export interface ClaudeRun extends RunResult {
  /** `--output-format json`: the final result object, when stdout parsed. */
  json?: {
    result?: string;
    is_error?: boolean;
    subtype?: string;
    num_turns?: number;
    [key: string]: unknown;
  };
}

export async function runClaude(options: {
  baseUrl: string;
  model: string;
  prompt: string;
  timeoutMs?: number;
}): Promise<ClaudeRun> {
  const bin = ensureClaudeBinary();
  const home = tempDir('claude');
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(home),
    ANTHROPIC_BASE_URL: options.baseUrl,
    ANTHROPIC_API_KEY: 'test',
    ANTHROPIC_DEFAULT_HAIKU_MODEL: options.model,
    ANTHROPIC_DEFAULT_SONNET_MODEL: options.model,
    ANTHROPIC_DEFAULT_OPUS_MODEL: options.model,
    ANTHROPIC_SMALL_FAST_MODEL: options.model,
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  };
  const result = await run(
    bin,
    [
      '-p',
      options.prompt,
      '--model',
      options.model,
      '--output-format',
      'json',
      '--allowedTools',
      'Bash',
      '--max-turns',
      '4',
    ],
    env,
    home,
    options.timeoutMs ?? 60_000,
  );
  let json: ClaudeRun['json'];
  try {
    json = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '');
  } catch {
    json = undefined;
  }
  return { ...result, json };
}

// ---- Codex CLI ----------------------------------------------------------------------------------

const CODEX_JS = join(dirname(require.resolve('@openai/codex/package.json')), 'bin', 'codex.js');

export function codexVersion(): string {
  return spawnSync(process.execPath, [CODEX_JS, '--version'], { encoding: 'utf8' }).stdout.trim();
}

export async function runCodex(options: {
  baseUrl: string;
  model: string;
  prompt: string;
  timeoutMs?: number;
}): Promise<RunResult & { lastMessage: string }> {
  const home = tempDir('codex');
  const codexHome = join(home, '.codex-home');
  mkdirSync(codexHome);
  writeFileSync(
    join(codexHome, 'config.toml'),
    `model = "${options.model}"
model_provider = "tp"

[model_providers.tp]
name = "TokenPak"
base_url = "${options.baseUrl}/v1"
env_key = "TP_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
`,
  );
  const lastMessageFile = join(home, 'last-message.txt');
  const env: NodeJS.ProcessEnv = { ...baseEnv(home), CODEX_HOME: codexHome, TP_KEY: 'test' };
  const result = await run(
    process.execPath,
    [
      CODEX_JS,
      'exec',
      '--skip-git-repo-check',
      '--ephemeral',
      // Runs the upstream's `echo` without asking and without the Linux sandbox (Landlock/bwrap are not
      // available in every container); the command is a harmless echo in a temporary folder.
      '--dangerously-bypass-approvals-and-sandbox',
      '--color',
      'never',
      '-C',
      home,
      '-o',
      lastMessageFile,
      options.prompt,
    ],
    env,
    home,
    options.timeoutMs ?? 60_000,
  );
  let lastMessage = '';
  try {
    lastMessage = readFileSync(lastMessageFile, 'utf8');
  } catch {}
  return { ...result, lastMessage };
}
