#!/usr/bin/env node
// `pnpm bench`: runs the TokenPak benchmark harness and prints the report; the JSON goes to bench/results/.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeJsonReport } from './src/report/json-file.mjs';
import { renderReport } from './src/report/table.mjs';
import { runBench } from './src/run-bench.mjs';
import { SCENARIOS } from './src/settings.mjs';
import { parseWorkersOption } from './src/workers-option.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

const USAGE = `Usage: pnpm bench [-- options]   (or: node bench/run.mjs [options])

  --quick            smaller counts and shorter steps (a few minutes)
  --tiny             the smallest run (seconds; what the harness's own test uses)
  --only=a,b         scenarios to run: ${SCENARIOS.join(', ')}
  --direct-only      measure the fake upstream alone (no proxy)
  --with-nginx       also run every scenario through nginx (from PATH) as the reference proxy
  --open-streams=N   streams in the open-streams scenario (e.g. 10000; default 5000, quick 1000)
  --workers=N|1,2    server.workers for the proxy: one count for the whole run, or a list for
                     extra rows in the non-streaming and burst scenarios (skipped if the config rejects it)
  --cpu-prof[=dir]   start the proxy with node --cpu-prof (profiles in dir, default bench/results/profiles)
  --out=dir          where the JSON goes (default bench/results)
  --help

Environment knobs (BENCH_STREAMS, BENCH_RATES, ...) are listed in bench/README.md.`;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    tiny: { type: 'boolean', default: false },
    only: { type: 'string' },
    'direct-only': { type: 'boolean', default: false },
    'with-nginx': { type: 'boolean', default: false },
    'open-streams': { type: 'string' },
    workers: { type: 'string' },
    'cpu-prof': { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
  allowPositionals: false,
  args: normalizeArgs(process.argv.slice(2)),
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const color = process.stdout.isTTY && !process.env.NO_COLOR;
/** @type {'full' | 'quick' | 'tiny'} */
const profile = values.tiny
  ? 'tiny'
  : values.quick
    ? 'quick'
    : /** @type {any} */ (process.env.BENCH_PROFILE ?? 'full');
const outDir = path.resolve(values.out ?? path.join(here, 'results'));
const cpuProfDir =
  values['cpu-prof'] === undefined
    ? undefined
    : path.resolve(values['cpu-prof'] || path.join(outDir, 'profiles'));
const log = (message) => process.stderr.write(color ? `\x1b[2m· ${message}\x1b[0m\n` : `· ${message}\n`);

await mkdir(outDir, { recursive: true });
try {
  const overrides = {};
  if (values['open-streams'] !== undefined) {
    const count = Number(values['open-streams']);
    if (!Number.isInteger(count) || count < 1) throw new Error('--open-streams: expected a whole number ≥ 1');
    overrides.openStreams = { count };
  }
  const report = await runBench({
    profile,
    only: values.only?.split(',').map((name) => name.trim()),
    directOnly: values['direct-only'],
    withNginx: values['with-nginx'],
    workers: parseWorkersOption(values.workers),
    overrides,
    cpuProfDir,
    proxyLogFile: process.env.BENCH_PROXY_LOG === '1' ? path.join(outDir, 'proxy-requests.log') : undefined,
    log,
  });
  console.log(`\n${renderReport(report, { color })}`);
  const file = await writeJsonReport(report, outDir);
  console.log(`JSON: ${path.relative(process.cwd(), file)}`);
  if (cpuProfDir) console.log(`CPU profiles of the proxy: ${path.relative(process.cwd(), cpuProfDir)}`);
  process.exit(Object.values(report.scenarios).some((scenario) => scenario.error) ? 1 : 0);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

/** `pnpm bench -- --quick` passes a literal `--` through: drop it. `--cpu-prof` alone means the default dir. */
function normalizeArgs(args) {
  return args.filter((arg) => arg !== '--').map((arg) => (arg === '--cpu-prof' ? '--cpu-prof=' : arg));
}
