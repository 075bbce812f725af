// Scenario 4: thousands of slow streams open at once (one token per gap). Counts how many arrive intact and
// what each open stream costs the proxy in resident memory. The proxy for this scenario is a fresh process,
// so its idle RSS is a clean baseline.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { burst } from '../client/load.mjs';
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
  const rampMs = Math.ceil(count / s.batch) * s.batchGapMs;
  const plan = { count, batch: s.batch, batchGapMs: s.batchGapMs };
  const timeoutMs = rampMs + s.tokens * s.gapMs * 4 + 30_000;
  const agent = makeAgent(count + 64);
  const data = { count, tokens: s.tokens, gapMs: s.gapMs, idealMs: (s.tokens - 1) * s.gapMs, rampMs, fd };
  try {
    ctx.log(`open streams: direct, ${count} streams of ${s.tokens} tokens, one per ${s.gapMs} ms`);
    data.direct = summarizeResults(
      await burst(plan, () => sendRequest(agent, ctx.upstream.url, spec, { timeoutMs })),
    );
    if (ctx.hasProxy) {
      const proxy = await ctx.startProxy('open-streams proxy');
      try {
        ctx.log(`open streams: proxy (fresh process), ${count} streams`);
        data.proxy = await throughProxy(proxy, agent, spec, plan, {
          rampMs,
          timeoutMs,
          idealMs: data.idealMs,
        });
      } finally {
        await proxy.close();
      }
    }
  } finally {
    await agent.destroy();
  }
  return {
    title,
    subtitle: `${count} streams at once, ${s.tokens} tokens each, one every ${s.gapMs} ms (ideal ${data.idealMs} ms)`,
    rows: rows(data),
    data,
  };
}

async function throughProxy(proxy, agent, spec, plan, { rampMs, timeoutMs, idealMs }) {
  const quick = { ...spec, tokens: 4, gapMs: 0 };
  await warm(50, () => sendRequest(agent, proxy.url, quick));
  await sleep(100);
  const idle = await proxy.stats({ gc: true });

  let opened = 0;
  let finished = 0;
  let peakRss = idle.rss;
  let resolveAllOpen;
  const allOpen = new Promise((resolve) => {
    resolveAllOpen = resolve;
  });
  const sampler = setInterval(() => {
    proxy.stats().then(
      (stats) => {
        peakRss = Math.max(peakRss, stats.rss);
      },
      () => {},
    );
  }, 250);
  const onFirstContent = () => {
    opened++;
    if (opened === plan.count) resolveAllOpen();
  };
  const running = burst(plan, () =>
    sendRequest(agent, proxy.url, spec, { timeoutMs, onFirstContent }).then((result) => {
      finished++;
      return result;
    }),
  );
  // Sample when every stream has its first token, or halfway through the streams if some never open.
  const fallback = sleep(rampMs + idealMs / 2, 'fallback');
  const why = await Promise.race([allOpen.then(() => 'all open'), fallback]);
  const open = await proxy.stats();
  const sampledWith = { opened, finished, why };
  const openAfterGc = await proxy.stats({ gc: true });
  const results = await running;
  clearInterval(sampler);
  const openStreams = sampledWith.opened - sampledWith.finished;
  return {
    ...summarizeResults(results),
    idle: memory(idle),
    open: memory(open),
    openAfterGc: memory(openAfterGc),
    peakRss,
    sampledWith,
    rssPerStreamKB: openStreams > 0 ? (open.rss - idle.rss) / openStreams / 1024 : null,
    heapPerStreamKB: openStreams > 0 ? (openAfterGc.heapUsed - idle.heapUsed) / openStreams / 1024 : null,
    peakRssPerStreamKB: openStreams > 0 ? (peakRss - idle.rss) / openStreams / 1024 : null,
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
    if (data[name]?.failed > 0)
      notes.push(`${name}: ${data[name].failures.map((f) => `${f.count}× ${f.reason}`).join(', ')}`);
  }
  if (proxy && proxy.sampledWith.why !== 'all open') {
    notes.push(`memory sampled with ${proxy.sampledWith.opened - proxy.sampledWith.finished} streams open`);
  }
  return [
    row('streams complete and intact', direct.intact, proxy?.intact, {
      unit: 'count',
      note: notes.join('; ') || null,
      target: proxy ? target(`all ${data.count}`, proxy.intact, (x) => x === data.count) : null,
    }),
    row('TTFT p99', direct.ttftMs.p99, proxy?.ttftMs.p99, { unit: 'ms', added: true }),
    row(`stream duration p99 (ideal ${data.idealMs} ms)`, direct.totalMs.p99, proxy?.totalMs.p99, {
      unit: 'ms',
      added: true,
    }),
    row('proxy RSS per open stream', null, proxy?.rssPerStreamKB, {
      unit: 'KB',
      target: proxy ? target('< 50 KB', proxy.rssPerStreamKB, (x) => x < 50) : null,
      note: proxy
        ? `idle ${mb(proxy.idle.rss)}, open ${mb(proxy.open.rss)}, peak ${mb(proxy.peakRss)}`
        : null,
    }),
    row('proxy live heap per open stream (after GC)', null, proxy?.heapPerStreamKB, { unit: 'KB' }),
  ];
}

function mb(bytes) {
  return `${(bytes / 1048576).toFixed(0)} MB`;
}
