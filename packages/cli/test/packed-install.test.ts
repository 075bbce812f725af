/**
 * `npx tokenpak proxy` for a real user: pack the workspace packages with `pnpm pack`, check what each tarball
 * publishes, install the tarballs with npm into an empty folder (their own dependencies come from the npm
 * registry), then start the proxy there with npx, stream the recipe's Step 3 request and stop it with SIGTERM.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { killGroup, type ProxyProcess, startProxyCommand } from './proxy-process.ts';

const PACKAGES = [
  'config',
  'provider',
  'provider-utils',
  'openai',
  'anthropic',
  'mock',
  'gemini',
  'ollama',
  'bedrock',
  'providers',
  'stream-buffer',
  'server',
  'cli',
] as const;
const PACKAGES_DIR = fileURLToPath(new URL('../../', import.meta.url));

const temp: string[] = [];
let proxy: ProxyProcess | undefined;
afterAll(() => {
  if (proxy?.child.pid !== undefined) killGroup(proxy.child.pid);
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temp.push(dir);
  return dir;
}

function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

/** This process's environment without the `npm_*` variables pnpm sets for scripts (npm would read them as config). */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

/** Every `exports` / `bin` / `main` / `types` target named in a package.json. */
function declaredFiles(manifest: Record<string, any>): string[] {
  const targets: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') for (const v of Object.values(value)) walk(v);
  };
  walk(manifest.exports);
  walk(manifest.bin);
  walk(manifest.main);
  walk(manifest.types);
  return [...new Set(targets)].map((target) => target.replace(/^\.\//, ''));
}

/** The bare module names a built JS file imports (static, dynamic and re-exports). */
function bareImports(code: string): string[] {
  const names = new Set<string>();
  // Statements only (`import ... from`, `export ... from`, `import 'x'`, `import('x')`): prose in a comment
  // such as `tells "already there" from "must wait"` is not an import.
  const pattern =
    /(?:^\s*(?:import|export)\b[^;'"]*?\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)['"]([^'"]+)['"]/gm;
  for (const match of code.matchAll(pattern)) {
    const spec = match[1]!;
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
    const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
    if (!builtinModules.includes(name)) names.add(name);
  }
  return [...names];
}

test('packed tarballs install with npm into an empty folder, and `npx tokenpak proxy` serves the recipe request', async () => {
  const packDir = tempDir('tokenpak-pack-');
  const installDir = tempDir('tokenpak-install-');

  // 1. Pack each package as it would be published.
  const tarballs: string[] = [];
  for (const name of PACKAGES) {
    await run('pnpm', ['pack', '--pack-destination', packDir], join(PACKAGES_DIR, name), userEnv());
  }
  for (const file of readdirSync(packDir)) if (file.endsWith('.tgz')) tarballs.push(join(packDir, file));
  expect(tarballs.map((t) => t.slice(packDir.length + 1)).sort()).toEqual(
    PACKAGES.map((name) => `tokenpak-${name}-0.0.0.tgz`).sort(),
  );

  // 2. What each tarball publishes: dist, README, a package.json with exports and real versions.
  const versions = new Map<string, string>();
  const manifests = new Map<string, Record<string, any>>();
  for (const tarball of tarballs) {
    const entries = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    const text = execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' });
    const manifest = JSON.parse(text);
    manifests.set(manifest.name, manifest);
    versions.set(manifest.name, manifest.version);
    const where = `${manifest.name} (${tarball})`;
    expect(
      entries.every((entry) => entry.startsWith('package/')),
      where,
    ).toBe(true);
    expect(entries, where).toContain('package/package.json');
    expect(entries, where).toContain('package/README.md');
    expect(
      entries.some((entry) => /^package\/dist\/.+\.js$/.test(entry)),
      where,
    ).toBe(true);
    expect(
      entries.filter(
        (entry) => /\/(src|test|fixtures)\//.test(entry) || /\.test\.|\.tsbuildinfo$/.test(entry),
      ),
      where,
    ).toEqual([]);
    expect(manifest.exports?.['.'], where).toBeDefined();
    for (const file of declaredFiles(manifest)) {
      if (file !== 'package.json') expect(entries, `${where} declares ${file}`).toContain(`package/${file}`);
    }
    expect(text, where).not.toContain('workspace:');
  }
  for (const manifest of manifests.values()) {
    for (const [dep, range] of Object.entries<string>(manifest.dependencies ?? {})) {
      if (versions.has(dep)) expect(range, `${manifest.name} → ${dep}`).toBe(versions.get(dep));
    }
  }
  expect(manifests.get('@tokenpak/cli')?.bin).toEqual({ tokenpak: './dist/bin.js' });

  // 3. Install all tarballs into an empty folder, as a user would (third-party dependencies from the registry).
  writeFileSync(join(installDir, 'package.json'), '{ "name": "tokenpak-user", "private": true }\n');
  // --prefer-offline: dependencies already in npm's cache are not fetched again. A registry hiccup should
  // not fail the suite, so a failed install is tried once more before the test gives up.
  const install = ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs];
  await run('npm', install, installDir, userEnv()).catch(() => run('npm', install, installDir, userEnv()));

  // Every module the built code imports is a declared dependency (nothing only hoisted in the monorepo).
  for (const [name, manifest] of manifests) {
    const dist = join(installDir, 'node_modules', name, 'dist');
    const declared = new Set([
      name,
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ]);
    for (const file of readdirSync(dist).filter((f) => f.endsWith('.js'))) {
      const missing = bareImports(readFileSync(join(dist, file), 'utf8')).filter((dep) => !declared.has(dep));
      expect(missing, `${name}/dist/${file} imports undeclared packages`).toEqual([]);
    }
  }

  // 4. npx tokenpak proxy, no config and no provider keys: the embedded default on the mock provider.
  proxy = await startProxyCommand('npx', ['tokenpak', 'proxy', '--port', '0'], {
    cwd: installDir,
    env: { HOME: process.env.HOME ?? installDir },
    detached: true,
    startTimeoutMs: 60_000,
  });
  expect(proxy.output()).toContain('using the embedded default');

  const response = await fetch(`${proxy.url}/v1/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4-streaming',
      stream: true,
      messages: [{ role: 'user', content: 'Write a haiku about API proxies' }],
    }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const blocks = (await response.text()).split('\n\n').filter((block) => block.includes('data: '));
  const events = blocks.map((block) => ({
    event: /^event: (.*)$/m.exec(block)?.[1],
    data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!),
  }));
  expect(events[0]?.event).toBe('message_start');
  expect(events.at(-1)?.event).toBe('message_stop');
  for (const e of events) expect(e.data.type).toBe(e.event);
  const text = events
    .filter((e) => e.event === 'content_block_delta')
    .map((e) => e.data.delta.text)
    .join('');
  expect(text.length).toBeGreaterThan(10);

  // 5. SIGTERM to the proxy (npx runs it through a shell, which does not pass signals on): exit 0 all the way up.
  const pid = proxyPid(proxy.child.pid!);
  process.kill(pid, 'SIGTERM');
  expect(await proxy.exited).toBe(0);
  await expect.poll(() => proxy?.output(), { timeout: 5000 }).toContain('Stopped.');
}, 360_000);

/** The node process serving `tokenpak proxy` inside the npx process group. */
function proxyPid(group: number): number {
  const lines = execFileSync('ps', ['-e', '-o', 'pid=,pgid=,args='], { encoding: 'utf8' }).split('\n');
  for (const line of lines) {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (!match || Number(match[2]) !== group) continue;
    if (/node_modules\/(\.bin\/tokenpak|@tokenpak\/cli\/dist\/bin\.js) proxy/.test(match[3]!)) {
      return Number(match[1]);
    }
  }
  throw new Error(`no tokenpak proxy process in group ${group}:\n${lines.join('\n')}`);
}
