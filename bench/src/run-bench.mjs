// Runs the selected scenarios: starts the fake upstream and the proxy as child processes (and nginx, with
// --with-nginx), runs each scenario against each, and returns the report (machine, settings, every figure).
// Always cleans up its children.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { openFilesLimit } from './children/fd-limits.mjs';
import { findNginx, nginxVersion, startNginx } from './children/nginx-process.mjs';
import { spawnChild } from './children/spawn-child.mjs';
import { machineInfo } from './machine.mjs';
import { proxyConfigYaml } from './proxy-config.mjs';
import * as burst from './scenarios/burst.mjs';
import * as coalescing from './scenarios/coalescing.mjs';
import * as cpuPerRequest from './scenarios/cpu-per-request.mjs';
import * as nonStreaming from './scenarios/non-streaming.mjs';
import * as openStreams from './scenarios/open-streams.mjs';
import * as throughput from './scenarios/throughput.mjs';
import * as ttft from './scenarios/ttft.mjs';
import { resolveSettings } from './settings.mjs';
import { checkWorkersConfig, workersNote } from './workers-option.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const UPSTREAM_ENTRY = path.join(here, 'children', 'upstream-process.mjs');
const PROXY_ENTRY = path.join(here, 'children', 'proxy-process.mjs');
const FLOOR_ENTRY = path.join(here, 'children', 'node-floor-process.mjs');
const MODULES = { ttft, cpuPerRequest, throughput, nonStreaming, burst, openStreams, coalescing };

/**
 * @param {{
 *   profile?: 'full'|'quick'|'tiny',
 *   only?: string[],
 *   directOnly?: boolean,
 *   cpuProfDir?: string,
 *   proxyLogFile?: string,
 *   withNginx?: boolean,
 *   workers?: Array<number|'auto'> | null,
 *   env?: Record<string, string|undefined>,
 *   overrides?: object,
 *   log?: (message: string) => void,
 * }} [options]
 */
export async function runBench(options = {}) {
  const { directOnly = false, cpuProfDir, proxyLogFile, withNginx = false, log = () => {} } = options;
  const settings = resolveSettings(options);
  const meta = machineInfo();
  const started = performance.now();
  const children = [];
  const report = { meta, settings, scenarios: {}, seconds: 0 };
  try {
    const upstream = await spawnChild(UPSTREAM_ENTRY, { label: 'fake upstream' });
    children.push(upstream);
    const configFor = (workers) =>
      proxyConfigYaml(upstream.url, {
        maxConcurrentStreams: Math.max(20_000, settings.openStreams.count * 2),
        workers,
      });
    // --workers: one count runs the whole bench with it; a list (1,2) adds rows per count to the
    // non-streaming and burst scenarios, each on a proxy of its own.
    const workers = options.workers?.length && !directOnly ? options.workers : null;
    let mainWorkers;
    let workerCounts = [];
    if (workers) {
      const check = await checkWorkersConfig(workers, configFor);
      if (check.ok === false) {
        const note = `--workers=${workers.join(',')}: skipped, this TokenPak's config rejects server.workers (${check.message})`;
        log(note);
        report.workers = { requested: workers, accepted: false, note };
      } else {
        if (workers.length === 1) mainWorkers = workers[0];
        else workerCounts = workers;
        report.workers = { requested: workers, accepted: true, note: null };
      }
    }
    const config = configFor(mainWorkers);
    const execArgv = ['--expose-gc'];
    if (cpuProfDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`);
    /** @param {string} [label] @param {{ workers?: number | 'auto' }} [options] */
    const startProxy = async (label = 'proxy', { workers } = {}) => {
      // In a shared checkout another build may be rewriting a dist/ folder at this very moment: a start that
      // fails on a missing module is retried a few times before the scenario gives up.
      for (let attempt = 1; ; attempt++) {
        try {
          const child = await spawnChild(PROXY_ENTRY, {
            label,
            execArgv,
            env: {
              BENCH_PROXY_CONFIG_YAML: workers === undefined ? config : configFor(workers),
              BENCH_PROXY_LOG: proxyLogFile ? '1' : '0',
            },
            // The CLI's workers log every request to stderr: keep it out of the pipe unless asked for.
            stderrFile: proxyLogFile ?? ((workers ?? mainWorkers) === undefined ? undefined : '/dev/null'),
          });
          children.push(child);
          return child;
        } catch (error) {
          const missing =
            error instanceof Error && /ERR_MODULE_NOT_FOUND|does not provide an export/.test(error.message);
          if (!missing || attempt >= 5) throw error;
          log(`${label}: a workspace package is being rebuilt, retrying in 2 s`);
          await sleep(2000);
        }
      }
    };
    const proxy = directOnly ? null : await startProxy();
    const startNginxTarget = withNginx ? nginxStarter(upstream.url, settings, report, log) : null;
    let nginx = null;
    if (startNginxTarget) {
      try {
        nginx = await startNginxTarget();
        children.push(nginx);
        report.nginx.config = nginx.config;
      } catch (error) {
        // A reference that will not start is no reason to lose the run: say so and go on without it.
        const note = `--with-nginx: nginx did not start, running without it (${error instanceof Error ? error.message : error})`;
        log(note);
        report.nginx = { ...report.nginx, used: false, note };
      }
    }
    const ctx = {
      settings,
      upstream,
      proxy,
      hasProxy: proxy !== null,
      nginx,
      targets: [
        { name: 'direct', origin: upstream.url, child: null },
        ...(proxy ? [{ name: 'proxy', origin: proxy.url, child: proxy }] : []),
        ...(nginx ? [{ name: 'nginx', origin: nginx.url, child: nginx }] : []),
      ],
      startProxy,
      /** A fresh nginx (for a clean memory baseline), or null without --with-nginx. */
      /** The Node floor (children/node-floor-process.mjs), started on first use; null for a direct-only run. */
      startFloor: async () => {
        if (directOnly) return null;
        const child = await spawnChild(FLOOR_ENTRY, {
          label: 'node floor',
          env: { BENCH_UPSTREAM_URL: upstream.url },
        });
        children.push(child);
        return child;
      },
      startNginx: async (label) => {
        if (!nginx) return null;
        const child = await startNginxTarget(label);
        children.push(child);
        return child;
      },
      workerCounts,
      log,
    };
    for (const name of settings.scenarios) {
      const scenarioStart = performance.now();
      try {
        report.scenarios[name] = await MODULES[name].run(ctx);
      } catch (error) {
        log(`${name} failed: ${error instanceof Error ? error.stack : error}`);
        report.scenarios[name] = {
          title: MODULES[name].title,
          error: error instanceof Error ? error.message : String(error),
          rows: [],
        };
      }
      report.scenarios[name].seconds = (performance.now() - scenarioStart) / 1000;
    }
    if (proxy && mainWorkers !== undefined) {
      // Read at the end, when any worker the proxy was going to fork has long been forked.
      const processes = proxy.processCount();
      report.workers.processes = processes;
      report.workers.note = workersNote(mainWorkers, processes);
      if (report.workers.note) log(report.workers.note);
    }
  } finally {
    await Promise.allSettled(children.map((child) => child.close()));
    report.seconds = (performance.now() - started) / 1000;
  }
  return report;
}

/**
 * With --with-nginx: a function that starts nginx in front of the upstream, or null (and a note) when no
 * nginx is installed. Each stream is two connections in nginx (client side and upstream side).
 */
function nginxStarter(upstreamUrl, settings, report, log) {
  const binary = findNginx();
  if (!binary) {
    const note =
      '--with-nginx: no nginx on PATH (Debian/Ubuntu: apt-get install nginx); running without the nginx reference';
    log(note);
    report.nginx = { used: false, note };
    return null;
  }
  const version = nginxVersion(binary);
  const limits = openFilesLimit();
  const streams = Math.max(settings.openStreams.count, settings.burst.count);
  const rlimitNofile = limits && Number.isFinite(limits.hard) ? limits.hard : streams * 2 + 512;
  const workerConnections = Math.min(Math.max(1024, streams * 2 + 256), rlimitNofile - 32);
  report.nginx = {
    used: true,
    binary,
    version,
    workerConnections,
    rlimitNofile,
    note: `nginx column: ${version ?? 'nginx'} (${binary}), one worker, proxy_buffering off, in front of the same upstream`,
  };
  return (label = 'nginx') => startNginx({ binary, upstreamUrl, workerConnections, rlimitNofile, label });
}
