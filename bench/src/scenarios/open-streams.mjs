// Scenario 4: thousands of slow streams open at once (one token per gap). Counts how many arrive intact and
// what each open stream costs the proxy in resident memory. The proxy for this scenario is a fresh process,
// so its idle RSS is a clean baseline.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ramp } from '../client/load.mjs';
import { sendRequest } from '../client/send-request.mjs';
import { MODELS } from '../proxy-config.mjs';
import { summarizeResults } from '../stats.mjs';
import { makeAgent, row, target, warm } from './common.mjs';

export const title = 'Open streams';

const FD_SPARE = 256;

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
  if (ctx.hasProxy) {
    const proxy = await ctx.startProxy('open-streams proxy');
    const agent = makeAgent(count + 64);
    try {
      ctx.log(`open streams: proxy (fresh process), ${count} streams`);
      await warm(50, () => sendRequest(agent, proxy.url, { ...spec, tokens: 4, gapMs: 0 }));
      await proxy.stats({ gc: true });
      await sleep(250); // let the allocator hand freed pages back before the baseline
      const idle = await proxy.stats({ gc: true });
      const run = await openAll(proxy.url, agent, spec, plan, { timeoutMs, idealMs, child: proxy, idle });
      data.proxy = { ...run, ...memoryFigures(run.samples, idle) };
      delete data.proxy.samples;
    } finally {
      await agent.destroy();
      await proxy.close();
    }
  }
  return {
    title,
    subtitle: `${count} streams at once, ${s.tokens} tokens each, one every ${s.gapMs} ms (ideal ${idealMs} ms)`,
    rows: rows(data),
    data,
  };
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
  return { ...summarizeResults(results), rampMs, wallMs, maxOpen, samples };
}

function memoryFigures({ best, afterGc, afterGcOpen, peakRss, end }, idle) {
  const cpuSeconds = (end.cpuUserUs - idle.cpuUserUs + end.cpuSystemUs - idle.cpuSystemUs) / 1e6;
  return {
    idle: memory(idle),
    open: { ...memory(best.stats), streams: best.openStreams, sampled: best.when },
    openAfterGc: { ...memory(afterGc), streams: afterGcOpen },
    peakRss,
    rssPerStreamKB: best.openStreams > 0 ? (best.stats.rss - idle.rss) / best.openStreams / 1024 : null,
    heapPerStreamKB: afterGcOpen > 0 ? (afterGc.heapUsed - idle.heapUsed) / afterGcOpen / 1024 : null,
    cpuSeconds,
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
 * Each stream holds one socket in the client, two in the proxy (client side and upstream side) and one in
 * the upstream. Caps the count so the proxy stays under the soft open-files limit (children inherit it).
 */
export function fdBudget(wanted) {
  let limit = null;
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((text) => text.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    limit = soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
  } catch {
    // not Linux: trust the caller
  }
  const needed = wanted * 2 + FD_SPARE;
  if (limit === null || !Number.isFinite(limit) || limit >= needed) {
    return { limit, needed, count: wanted, note: null };
  }
  const count = Math.max(1, Math.floor((limit - FD_SPARE) / 2));
  return {
    limit,
    needed,
    count,
    note: `open-files limit ${limit} < ${needed}: ran ${count} streams instead of ${wanted} (raise it with ulimit -n ${needed})`,
  };
}

function rows(data) {
  const { direct, proxy } = data;
  const notes = [];
  if (data.fd.note) notes.push(data.fd.note);
  for (const name of ['direct', 'proxy']) {
    if (data[name]?.failed > 0) {
      notes.push(`${name}: ${data[name].failures.map((f) => `${f.count}× ${f.reason}`).join(', ')}`);
    }
  }
  const memoryNote = proxy
    ? `with ${proxy.open.streams} open: idle ${mb(proxy.idle.rss)}, open ${mb(proxy.open.rss)}, peak ${mb(proxy.peakRss)}`
    : null;
  return [
    row('streams complete and intact', direct.intact, proxy?.intact, {
      unit: 'count',
      note: notes.join('; ') || null,
      target: proxy ? target(`all ${data.count}`, proxy.intact, (x) => x === data.count) : null,
    }),
    row('most streams open at once', direct.maxOpen, proxy?.maxOpen, {
      unit: 'count',
      note:
        proxy && proxy.maxOpen < data.count
          ? 'the first streams ended before the last ones opened: see "time to open"'
          : null,
    }),
    row(`time to open all (${data.window} at a time)`, direct.rampMs, proxy?.rampMs, { unit: 'ms' }),
    row('TTFT p99', direct.ttftMs.p99, proxy?.ttftMs.p99, { unit: 'ms', added: true }),
    row(`stream duration p99 (ideal ${data.idealMs} ms)`, direct.totalMs.p99, proxy?.totalMs.p99, {
      unit: 'ms',
      added: true,
    }),
    row('proxy RSS per open stream', null, proxy?.rssPerStreamKB, {
      unit: 'KB',
      target: proxy ? target('< 50 KB', proxy.rssPerStreamKB, (x) => x < 50) : null,
      note: memoryNote,
    }),
    row('proxy live heap per open stream (after GC)', null, proxy?.heapPerStreamKB, { unit: 'KB' }),
    row(
      'proxy CPU (cores; one Node thread tops out near 1.0)',
      null,
      proxy ? proxy.cpuSeconds / (proxy.wallMs / 1000) : null,
      {
        unit: 'cores',
        note: proxy
          ? `${proxy.cpuSeconds.toFixed(1)} s of CPU in ${(proxy.wallMs / 1000).toFixed(1)} s`
          : null,
      },
    ),
  ];
}

function mb(bytes) {
  return `${(bytes / 1048576).toFixed(0)} MB`;
}
