// Runs the selected scenarios: starts the fake upstream and the proxy as child processes, runs each scenario
// against both, and returns the report (machine, settings, every figure). Always cleans up its children.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { spawnChild } from './children/spawn-child.mjs';
import { machineInfo } from './machine.mjs';
import { proxyConfigYaml } from './proxy-config.mjs';
import * as coalescing from './scenarios/coalescing.mjs';
import * as nonStreaming from './scenarios/non-streaming.mjs';
import * as openStreams from './scenarios/open-streams.mjs';
import * as throughput from './scenarios/throughput.mjs';
import * as ttft from './scenarios/ttft.mjs';
import { resolveSettings } from './settings.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const UPSTREAM_ENTRY = path.join(here, 'children', 'upstream-process.mjs');
const PROXY_ENTRY = path.join(here, 'children', 'proxy-process.mjs');
const MODULES = { ttft, throughput, nonStreaming, openStreams, coalescing };

/**
 * @param {{
 *   profile?: 'full'|'quick'|'tiny',
 *   only?: string[],
 *   directOnly?: boolean,
 *   cpuProfDir?: string,
 *   proxyLogFile?: string,
 *   env?: Record<string, string|undefined>,
 *   overrides?: object,
 *   log?: (message: string) => void,
 * }} [options]
 */
export async function runBench(options = {}) {
  const { directOnly = false, cpuProfDir, proxyLogFile, log = () => {} } = options;
  const settings = resolveSettings(options);
  const meta = machineInfo();
  const started = performance.now();
  const children = [];
  const report = { meta, settings, scenarios: {}, seconds: 0 };
  try {
    const upstream = await spawnChild(UPSTREAM_ENTRY, { label: 'fake upstream' });
    children.push(upstream);
    const config = proxyConfigYaml(upstream.url, {
      maxConcurrentStreams: Math.max(20_000, settings.openStreams.count * 2),
    });
    const execArgv = ['--expose-gc'];
    if (cpuProfDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`);
    const startProxy = async (label = 'proxy') => {
      // In a shared checkout another build may be rewriting a dist/ folder at this very moment: a start that
      // fails on a missing module is retried a few times before the scenario gives up.
      for (let attempt = 1; ; attempt++) {
        try {
          const child = await spawnChild(PROXY_ENTRY, {
            label,
            execArgv,
            env: { BENCH_PROXY_CONFIG_YAML: config, BENCH_PROXY_LOG: proxyLogFile ? '1' : '0' },
            stderrFile: proxyLogFile,
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
    const ctx = {
      settings,
      upstream,
      proxy,
      hasProxy: proxy !== null,
      targets: [
        { name: 'direct', origin: upstream.url, child: null },
        ...(proxy ? [{ name: 'proxy', origin: proxy.url, child: proxy }] : []),
      ],
      startProxy,
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
  } finally {
    await Promise.allSettled(children.map((child) => child.close()));
    report.seconds = (performance.now() - started) / 1000;
  }
  return report;
}
