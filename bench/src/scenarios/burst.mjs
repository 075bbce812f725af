// Scenario: a burst of streams. 1,000 streams opened over one second, evenly spaced (an open loop: stream i is
// sent at start + i/rate whatever happened to the others), each 50 tokens 100 ms apart, every one on a new
// connection. The same schedule against each target; added TTFT is the time a stream waits behind the ones
// before it in the proxy. Also: how many arrive intact, the target's CPU in cores over the run, and whether
// the kernel dropped connects from a full listen queue (which would measure the backlog, not the target).
import { performance } from 'node:perf_hooks';
import { openLoop } from '../client/load.mjs';
import { sendRequest } from '../client/send-request.mjs';
import { listenOverflows, overflowsBetween } from '../listen-overflows.mjs';
import { MODELS } from '../proxy-config.mjs';
import { summarizeResults } from '../stats.mjs';
import { workersNote } from '../workers-option.mjs';
import { makeAgent, row, target, warm } from './common.mjs';

export const title = 'Burst of streams';

export async function run(ctx) {
  const s = ctx.settings.burst;
  const spec = { dialect: 'openai', model: MODELS.openai, stream: true, tokens: s.tokens, gapMs: s.gapMs };
  const idealMs = (s.tokens - 1) * s.gapMs;
  const data = { ...s, idealMs, workers: {} };
  for (const t of ctx.targets) {
    ctx.log(`burst: ${t.name}, ${s.count} streams over ${s.seconds} s`);
    data[t.name] = await burstOnce(t.origin, t.child, spec, s, idealMs);
  }
  for (const workers of ctx.workerCounts ?? []) {
    const proxy = await ctx.startProxy(`burst proxy, ${workers} workers`, { workers });
    try {
      ctx.log(`burst: proxy with ${workers} workers, ${s.count} streams over ${s.seconds} s`);
      const result = await burstOnce(proxy.url, proxy, spec, s, idealMs);
      data.workers[workers] = { ...result, note: workersNote(workers, proxy.processCount()) };
    } finally {
      await proxy.close();
    }
  }
  return {
    title,
    subtitle: `${s.count} streams opened over ${s.seconds} s (evenly spaced, one connection each), ${s.tokens} tokens ${s.gapMs} ms apart (ideal ${idealMs} ms)`,
    rows: rows(data),
    data,
  };
}

async function burstOnce(origin, child, spec, s, idealMs) {
  // Warm the target on a pool of its own, closed before the burst: every stream of the burst then opens a
  // connection, as a crowd of new clients would.
  const warmAgent = makeAgent(8);
  try {
    await warm(20, () => sendRequest(warmAgent, origin, { ...spec, tokens: 2, gapMs: 0 }));
  } finally {
    await warmAgent.close();
  }
  const agent = makeAgent(s.count + 64);
  const timeoutMs = idealMs * 4 + s.seconds * 1000 + 30_000;
  try {
    const before = child?.usage() ?? null;
    const queuesBefore = listenOverflows();
    const started = performance.now();
    const loop = await openLoop(
      { rate: s.count / s.seconds, durationMs: s.seconds * 1000, maxInFlight: s.count + 1 },
      () => sendRequest(agent, origin, spec, { timeoutMs }),
    );
    const wallMs = performance.now() - started;
    const after = child?.usage() ?? null;
    const { results, ...rest } = loop;
    const cpuSeconds =
      before?.cpuMs != null && after?.cpuMs != null ? (after.cpuMs - before.cpuMs) / 1000 : null;
    return {
      ...rest,
      ...summarizeResults(results),
      wallMs,
      cpuSeconds,
      cores: cpuSeconds === null ? null : cpuSeconds / (wallMs / 1000),
      listenOverflows: overflowsBetween(queuesBefore, listenOverflows()),
    };
  } finally {
    await agent.destroy();
  }
}

function rows(data) {
  const { direct, proxy, nginx } = data;
  const targets = { direct, proxy, nginx };
  const notes = [];
  for (const [name, entry] of Object.entries(targets)) {
    if (!entry) continue;
    if (entry.failed > 0)
      notes.push(`${name}: ${entry.failures.map((f) => `${f.count}× ${f.reason}`).join(', ')}`);
    if (entry.listenOverflows > 0)
      notes.push(`${name}: the kernel dropped ${entry.listenOverflows} connects (listen queue full)`);
    if (entry.lagMs.p99 > 20)
      notes.push(`${name}: the client sent late (lag p99 ${entry.lagMs.p99.toFixed(0)} ms)`);
  }
  const added = (entry, key) => (entry && direct ? entry.ttftMs[key] - direct.ttftMs[key] : null);
  const out = [
    row('streams intact', direct.intact, proxy?.intact, {
      unit: 'count',
      nginx: nginx?.intact,
      target: proxy ? target(`all ${data.count}`, proxy.intact, (x) => x === data.count) : null,
      note: notes.join('; ') || null,
    }),
    row('TTFT p50', direct.ttftMs.p50, proxy?.ttftMs.p50, {
      unit: 'ms',
      added: true,
      nginx: nginx?.ttftMs.p50,
      target: proxy ? target('added < 50 ms', added(proxy, 'p50'), (x) => x < 50) : null,
    }),
    row('TTFT p99', direct.ttftMs.p99, proxy?.ttftMs.p99, {
      unit: 'ms',
      added: true,
      nginx: nginx?.ttftMs.p99,
      target: proxy ? target('added < 250 ms', added(proxy, 'p99'), (x) => x < 250) : null,
    }),
    row(`stream duration p99 (ideal ${data.idealMs} ms)`, direct.totalMs.p99, proxy?.totalMs.p99, {
      unit: 'ms',
      added: true,
      nginx: nginx?.totalMs.p99,
    }),
    row('CPU during the burst (cores)', null, proxy?.cores, {
      unit: 'cores',
      nginx: nginx?.cores,
      note:
        proxy?.cpuSeconds != null
          ? `proxy: ${proxy.cpuSeconds.toFixed(2)} s of CPU in ${(proxy.wallMs / 1000).toFixed(1)} s` +
            (nginx?.cpuSeconds != null ? `; nginx: ${nginx.cpuSeconds.toFixed(2)} s` : '')
          : null,
    }),
  ];
  for (const [workers, entry] of Object.entries(data.workers)) {
    const note = [
      entry.note,
      entry.failed > 0 ? `${entry.failed} not intact (${entry.failures[0]?.reason})` : null,
    ]
      .filter(Boolean)
      .join('; ');
    out.push(
      row(`proxy, ${workers} worker(s): TTFT p50`, direct.ttftMs.p50, entry.ttftMs.p50, {
        unit: 'ms',
        added: true,
        note: note || null,
      }),
      row(`proxy, ${workers} worker(s): TTFT p99`, direct.ttftMs.p99, entry.ttftMs.p99, {
        unit: 'ms',
        added: true,
      }),
      row(`proxy, ${workers} worker(s): CPU (cores)`, null, entry.cores, { unit: 'cores' }),
    );
  }
  return out;
}
