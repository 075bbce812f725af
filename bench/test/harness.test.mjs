// Runs the whole harness in its tiny profile, direct and through the real proxy, so that it never rots.
// No timing assertions: only that every scenario ran, every stream arrived intact, and the report renders.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeJsonReport } from '../src/report/json-file.mjs';
import { renderReport } from '../src/report/table.mjs';
import { runBench } from '../src/run-bench.mjs';
import { MODES } from '../src/scenarios/throughput.mjs';
import { PROFILES, SCENARIOS } from '../src/settings.mjs';

const tiny = PROFILES.tiny;
let report;

beforeAll(async () => {
  report = await runBench({ profile: 'tiny', env: {} });
}, 60_000);

describe('pnpm bench, tiny profile', () => {
  it('runs every scenario against the upstream directly and through the proxy', () => {
    expect(Object.keys(report.scenarios)).toEqual(SCENARIOS);
    for (const scenario of Object.values(report.scenarios)) {
      expect(scenario.error).toBeUndefined();
      expect(scenario.rows.length).toBeGreaterThan(0);
      expect(scenario.rows.some((row) => row.proxy !== null)).toBe(true);
    }
  });

  it('every streamed and non-streamed answer arrived intact, both ways', () => {
    const { ttft, cpuPerRequest, throughput, nonStreaming, burst, openStreams, coalescing } =
      report.scenarios;
    for (const name of ['direct', 'proxy']) {
      expect(ttft.data.sequential[name]).toMatchObject({ requests: tiny.ttft.sequential, failed: 0 });
      expect(ttft.data.sequentialTranslated[name]).toMatchObject({
        requests: tiny.ttft.sequential,
        failed: 0,
      });
      for (const entry of ttft.data.openLoop) expect(entry[name].failed).toBe(0);
      for (const mode of MODES) {
        expect(throughput.data.modes[mode.key][name].single).toMatchObject({
          intact: tiny.throughput.repeats,
        });
        expect(throughput.data.modes[mode.key][name].parallel).toMatchObject({
          intact: tiny.throughput.repeats * tiny.throughput.parallel,
        });
      }
      expect(nonStreaming.data[name].failed).toBe(0);
      expect(nonStreaming.data[name].intact).toBeGreaterThan(0);
      for (const phase of ['streamed', 'nonStreamed']) {
        expect(cpuPerRequest.data[phase][name].failed).toBe(0);
        expect(cpuPerRequest.data[phase][name].requests).toBeGreaterThan(0);
      }
      expect(burst.data[name]).toMatchObject({ requests: tiny.burst.count, intact: tiny.burst.count });
      expect(openStreams.data[name]).toMatchObject({
        requests: tiny.openStreams.count,
        intact: tiny.openStreams.count,
      });
    }
    expect(coalescing.data.direct.intact).toBe(true);
    for (const n of tiny.coalescing.bufferTokens) expect(coalescing.data.proxy[n].intact).toBe(true);
  });

  it('coalescing sends fewer content events as buffer_tokens grows', () => {
    const { proxy } = report.scenarios.coalescing.data;
    expect(proxy[1].contentEvents).toBe(tiny.coalescing.tokens);
    expect(proxy[5].contentEvents).toBeLessThan(proxy[1].contentEvents);
    expect(proxy[20].contentEvents).toBeLessThan(proxy[5].contentEvents);
  });

  it('measures the proxy process on its own: RSS per open stream, CPU per token and per request', () => {
    const { openStreams, throughput, cpuPerRequest, burst } = report.scenarios;
    expect(openStreams.data.proxy.idle.rss).toBeGreaterThan(0);
    expect(typeof openStreams.data.proxy.rssPerStreamKB).toBe('number');
    // CPU comes from /proc in clock ticks (10 ms): a tiny run may burn less than one, so only its presence is
    // checked here.
    expect(throughput.data.modes['openai-openai'].proxy.cpu.singleMsPer1kTokens).toEqual(expect.any(Number));
    expect(cpuPerRequest.data.streamed.proxy.cpuMsPerRequest).toBeGreaterThanOrEqual(0);
    expect(cpuPerRequest.data.nonStreamed.proxy.cpuMsPerRequest).toBeGreaterThanOrEqual(0);
    // The Node floor ran beside them, every answer intact (the client checks each one as it does the proxy's).
    for (const phase of ['streamed', 'nonStreamed']) {
      expect(cpuPerRequest.data[phase].floor).toMatchObject({ failed: 0 });
      expect(cpuPerRequest.data[phase].floor.requests).toBeGreaterThan(0);
      expect(cpuPerRequest.data[phase].floor.cpuMsPerRequest).toBeGreaterThanOrEqual(0);
    }
    expect(burst.data.proxy.cores).toBeGreaterThanOrEqual(0);
  });

  it('renders the table and writes the JSON with the machine, Node version and date', async () => {
    const text = renderReport(report);
    for (const scenario of Object.values(report.scenarios)) expect(text).toContain(scenario.title);
    const directory = await mkdtemp(path.join(os.tmpdir(), 'tokenpak-bench-'));
    try {
      const file = await writeJsonReport(report, directory);
      const json = JSON.parse(await readFile(file, 'utf8'));
      expect(json.meta).toMatchObject({ node: process.version, cores: os.cpus().length });
      expect(json.meta.cpuModel).toEqual(expect.any(String));
      expect(Date.parse(json.meta.date)).not.toBeNaN();
      expect(Object.keys(json.scenarios)).toEqual(SCENARIOS);
      expect(JSON.parse(await readFile(path.join(directory, 'latest.json'), 'utf8'))).toEqual(json);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
