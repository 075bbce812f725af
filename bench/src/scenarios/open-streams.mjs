// Scenario: thousands of slow streams open at once (one token per gap). Counts how many arrive intact and
// what each open stream costs the proxy (and nginx, with --with-nginx) in resident memory. Each of them is a
// fresh process for this scenario, so its idle RSS is a clean baseline.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { openFilesLimit } from '../children/fd-limits.mjs';
import { ramp } from '../client/load.mjs';
import { sendRequest } from '../client/send-request.mjs';
import { listenOverflows, overflowsBetween } from '../listen-overflows.mjs';
import { MODELS } from '../proxy-config.mjs';
import { summarizeResults } from '../stats.mjs';
import { makeAgent, row, target, warm } from './common.mjs';

export const title = 'Open streams';

/** Files a process holds besides its streams' sockets (a Node proxy has about 30 at idle). */
const FD_SPARE = 128;

export async function run(ctx) {
  const s = ctx.settings.openStreams;
  const fd = fdBudget(s.count);
  const count = fd.count;
  const spec = { dialect: 'openai', model: MODELS.openai, stream: true, tokens: s.tokens, gapMs: s.gapMs };
  const plan = { count, window: s.window, maxWaitMs: s.maxWaitMs };
  const idealMs = (s.tokens - 1) * s.gapMs;
  const timeoutMs = Math.ceil(count / s.window) * s.maxWaitMs + idealMs * 4 + 30_000;
  const data = { count, tokens: s.tokens, gapMs: s.gapMs, idealMs, window: s.window, fd };
  // One client pool per target, closed before the next, so idle sockets of one run never count in the other.
  const direct = makeAgent(count + 64);
  try {
    ctx.log(`open streams: direct, ${count} streams of ${s.tokens} tokens, one per ${s.gapMs} ms`);
    data.direct = await openAll(ctx.upstream.url, direct, spec, plan, { timeoutMs, idealMs });
  } finally {
    await direct.destroy();
  }
  const measure = { spec, plan, timeoutMs, idealMs };
  if (ctx.hasProxy) {
    const proxy = await ctx.startProxy('open-streams proxy');
    ctx.log(`open streams: proxy (fresh process), ${count} streams`);
    data.proxy = await onFreshTarget(proxy, measure);
  }
  const nginx = await ctx.startNginx?.('open-streams nginx');
  if (nginx) {
    ctx.log(`open streams: nginx (fresh process), ${count} streams`);
    data.nginx = await onFreshTarget(nginx, measure);
  }
  return {
    title,
    subtitle: `${count} streams at once, ${s.tokens} tokens each, one every ${s.gapMs} ms (ideal ${idealMs} ms)`,
    rows: rows(data),
    data,
  };
}

/**
 * Warms a fresh target (proxy or nginx) up, takes its idle memory, runs the streams through it while sampling
 * its memory, and closes it.
 */
async function onFreshTarget(child, { spec, plan, timeoutMs, idealMs }) {
  const agent = makeAgent(plan.count + 64);
  try {
    await warm(50, () => sendRequest(agent, child.url, { ...spec, tokens: 4, gapMs: 0 }));
    await child.stats({ gc: true });
    await sleep(250); // let the allocator hand freed pages back before the baseline
    const idle = await child.stats({ gc: true });
    const idleUsage = child.usage();
    const run = await openAll(child.url, agent, spec, plan, { timeoutMs, idealMs, child, idle });
    const endUsage = child.usage();
    const result = {
      ...run,
      ...memoryFigures(run.samples, idle),
      cpuSeconds:
        idleUsage.cpuMs === null || endUsage.cpuMs === null
          ? null
          : (endUsage.cpuMs - idleUsage.cpuMs) / 1000,
    };
    delete result.samples;
    return result;
  } finally {
    await agent.destroy();
    await child.close();
  }
}

/**
 * Opens every stream (a window at a time, see ramp()) and waits for all to end, counting how many are open (first
 * token received, not yet ended) at each moment. With `child`, samples its memory every 250 ms and once more
 * when every stream has its first token (or, if they never are all open together, halfway through the streams
 * once all are sent); the figures come from the sample taken with the most streams open.
 * @param {string} origin
 * @param {import('undici').Dispatcher} agent
 * @param {any} spec
 * @param {{ count: number, window: number, maxWaitMs: number }} plan
 * @param {{ timeoutMs: number, idealMs: number, child?: any, idle?: any }} options
 */
async function openAll(origin, agent, spec, plan, options) {
  const { timeoutMs, idealMs, child, idle } = options;
  let opened = 0;
  let openNow = 0;
  let maxOpen = 0;
  /** @type {(value?: unknown) => void} */
  let resolveAllOpen = () => {};
  const allOpen = new Promise((resolve) => {
    resolveAllOpen = resolve;
  });
  const queuesBefore = listenOverflows();
  const started = performance.now();
  const { opened: allSent, done } = ramp(plan, (_, onFirst) => {
    let isOpen = false;
    return sendRequest(agent, origin, spec, {
      timeoutMs,
      onFirstContent: () => {
        onFirst();
        isOpen = true;
        openNow++;
        if (openNow > maxOpen) maxOpen = openNow;
        opened++;
        if (opened === plan.count) resolveAllOpen();
      },
    }).then((result) => {
      if (isOpen) openNow--;
      return result;
    });
  });
  let samples = null;
  if (child) {
    let peakRss = idle.rss;
    let best = null;
    const consider = (stats, openStreams, when) => {
      peakRss = Math.max(peakRss, stats.rss);
      if (best === null || openStreams > best.openStreams) best = { stats, openStreams, when };
    };
    const sampler = setInterval(() => {
      const openStreams = openNow;
      child.stats().then(
        (stats) => consider(stats, Math.min(openStreams, openNow), 'periodic'),
        () => {},
      );
    }, 250);
    const fallback = allSent.then(() => sleep(idealMs / 2, 'halfway through'));
    const why = await Promise.race([allOpen.then(() => 'all open'), fallback]);
    const openStreams = openNow;
    consider(await child.stats(), Math.min(openStreams, openNow), why);
    const gcOpenStreams = openNow;
    const afterGc = await child.stats({ gc: true });
    const afterGcOpen = Math.min(gcOpenStreams, openNow);
    await done;
    clearInterval(sampler);
    const end = await child.stats();
    samples = { best, afterGc, afterGcOpen, peakRss, end };
  }
  const results = await done;
  // The ramp: from the first stream sent to the last one sent.
  let rampMs = 0;
  for (const result of results) rampMs = Math.max(rampMs, result.startedAt - started);
  const wallMs = performance.now() - started;
  // Connects the kernel dropped from a full listen queue during the run (see listen-overflows.mjs).
  const overflows = overflowsBetween(queuesBefore, listenOverflows());
  return { ...summarizeResults(results), rampMs, wallMs, maxOpen, listenOverflows: overflows, samples };
}

function memoryFigures({ best, afterGc, afterGcOpen, peakRss }, idle) {
  return {
    idle: memory(idle),
    open: { ...memory(best.stats), streams: best.openStreams, sampled: best.when },
    openAfterGc: { ...memory(afterGc), streams: afterGcOpen },
    peakRss,
    rssPerStreamKB: best.openStreams > 0 ? (best.stats.rss - idle.rss) / best.openStreams / 1024 : null,
    // nginx has no heap to report: null.
    heapPerStreamKB:
      afterGcOpen > 0 && typeof afterGc.heapUsed === 'number'
        ? (afterGc.heapUsed - idle.heapUsed) / afterGcOpen / 1024
        : null,
  };
}

function memory(stats) {
  return {
    rss: stats.rss,
    heapUsed: stats.heapUsed,
    external: stats.external,
    arrayBuffers: stats.arrayBuffers,
  };
}

/**
 * Each stream holds one socket in the client and in the upstream, two in a proxy (client side and upstream
 * side). Every process here runs at the hard open-files limit (Node raises its soft limit to it at start;
 * nginx gets worker_rlimit_nofile), so the proxy's 2 × streams must fit under the hard limit: the count is
 * capped to what fits, and the note says so.
 * @param {number} wanted
 * @param {{ soft: number, hard: number } | null} [limits]
 */
export function fdBudget(wanted, limits = openFilesLimit()) {
  const limit = limits ? limits.hard : null;
  const needed = wanted * 2 + FD_SPARE;
  if (limit === null || !Number.isFinite(limit) || limit >= needed) {
    return { limit, needed, count: wanted, note: null };
  }
  const count = Math.max(1, Math.floor((limit - FD_SPARE) / 2));
  return {
    limit,
    needed,
    count,
    note: `hard open-files limit ${limit} < ${needed} (2 sockets per stream in a proxy): ran ${count} streams instead of ${wanted}; raising it takes root outside this shell (ulimit -Hn ${needed})`,
  };
}

function rows(data) {
  const { direct, proxy, nginx } = data;
  const notes = [];
  if (data.fd.note) notes.push(data.fd.note);
  for (const name of ['direct', 'proxy', 'nginx']) {
    if (data[name]?.failed > 0) {
      notes.push(`${name}: ${data[name].failures.map((f) => `${f.count}× ${f.reason}`).join(', ')}`);
    }
    if (data[name]?.listenOverflows > 0) {
      notes.push(`${name}: the kernel dropped ${data[name].listenOverflows} connects (listen queue full)`);
    }
  }
  const memory = (name, entry) =>
    entry
      ? `${name} with ${entry.open.streams} open: idle ${mb(entry.idle.rss)}, open ${mb(entry.open.rss)}, peak ${mb(entry.peakRss)}`
      : null;
  const memoryNote = [memory('proxy', proxy), memory('nginx', nginx)].filter(Boolean).join('; ');
  const cores = (entry) =>
    entry && entry.cpuSeconds !== null ? entry.cpuSeconds / (entry.wallMs / 1000) : null;
  const cpuNote = (name, entry) =>
    entry && entry.cpuSeconds !== null
      ? `${name}: ${entry.cpuSeconds.toFixed(1)} s of CPU in ${(entry.wallMs / 1000).toFixed(1)} s`
      : null;
  const fewerOpen = Object.entries({ proxy, nginx })
    .filter(([, entry]) => entry && entry.maxOpen < data.count)
    .map(([name]) => name);
  return [
    row('streams complete and intact', direct.intact, proxy?.intact, {
      unit: 'count',
      nginx: nginx?.intact,
      note: notes.join('; ') || null,
      target: proxy ? target(`all ${data.count}`, proxy.intact, (x) => x === data.count) : null,
    }),
    row('most streams open at once', direct.maxOpen, proxy?.maxOpen, {
      unit: 'count',
      nginx: nginx?.maxOpen,
      note: fewerOpen.length
        ? `${fewerOpen.join(', ')}: the first streams ended before the last ones opened: see "time to open"`
        : null,
    }),
    row(`time to open all (${data.window} at a time)`, direct.rampMs, proxy?.rampMs, {
      unit: 'ms',
      nginx: nginx?.rampMs,
    }),
    row('TTFT p99', direct.ttftMs.p99, proxy?.ttftMs.p99, {
      unit: 'ms',
      added: true,
      nginx: nginx?.ttftMs.p99,
    }),
    row(`stream duration p99 (ideal ${data.idealMs} ms)`, direct.totalMs.p99, proxy?.totalMs.p99, {
      unit: 'ms',
      added: true,
      nginx: nginx?.totalMs.p99,
    }),
    row('RSS per open stream', null, proxy?.rssPerStreamKB, {
      unit: 'KB',
      nginx: nginx?.rssPerStreamKB,
      // Issue 13: under 30 KB of RSS per open stream with 10,000 open.
      target: proxy ? target('< 30 KB', proxy.rssPerStreamKB, (x) => x < 30) : null,
      note: memoryNote || null,
    }),
    row('proxy live heap per open stream (after GC)', null, proxy?.heapPerStreamKB, { unit: 'KB' }),
    row('CPU (cores; one Node thread tops out near 1.0)', null, cores(proxy), {
      unit: 'cores',
      nginx: cores(nginx),
      note: [cpuNote('proxy', proxy), cpuNote('nginx', nginx)].filter(Boolean).join('; ') || null,
    }),
  ];
}

function mb(bytes) {
  return `${(bytes / 1048576).toFixed(0)} MB`;
}
