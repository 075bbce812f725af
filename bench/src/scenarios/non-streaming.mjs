// Scenario 3: non-streamed requests at a fixed concurrency (closed loop): requests per second and latency.
import { closedLoop } from '../client/load.mjs';
import { sendRequest } from '../client/send-request.mjs';
import { MODELS } from '../proxy-config.mjs';
import { summarizeResults } from '../stats.mjs';
import { workersNote } from '../workers-option.mjs';
import { makeAgent, row, warm } from './common.mjs';

export const title = 'Non-streaming requests';

export async function run(ctx) {
  const s = ctx.settings.nonStreaming;
  const spec = { dialect: 'openai', model: MODELS.openai, stream: false, tokens: s.tokens };
  const agent = makeAgent(s.concurrency * 2);
  const data = { concurrency: s.concurrency, seconds: s.seconds, tokens: s.tokens, workers: {} };
  const measure = async (name, origin) => {
    ctx.log(`non-streaming: ${name}, concurrency ${s.concurrency} for ${s.seconds} s`);
    await warm(20, () => sendRequest(agent, origin, spec));
    const loop = await closedLoop({ concurrency: s.concurrency, durationMs: s.seconds * 1000 }, () =>
      sendRequest(agent, origin, spec),
    );
    const summary = summarizeResults(loop.results);
    return { ...summary, seconds: loop.seconds, requestsPerSecond: summary.intact / loop.seconds };
  };
  try {
    for (const { name, origin } of ctx.targets) data[name] = await measure(name, origin);
    // --workers=1,2: the same loop against a proxy started with each worker count.
    for (const workers of ctx.workerCounts ?? []) {
      const proxy = await ctx.startProxy(`non-streaming proxy, ${workers} workers`, { workers });
      try {
        const result = await measure(`proxy with ${workers} workers`, proxy.url);
        data.workers[workers] = { ...result, note: workersNote(workers, proxy.processCount()) };
      } finally {
        await proxy.close();
      }
    }
  } finally {
    await agent.close();
  }
  const { direct, proxy, nginx } = data;
  const failed = ['direct', 'proxy', 'nginx']
    .filter((name) => data[name]?.failed > 0)
    .map((name) => `${name}: ${data[name].failed} failed (${data[name].failures[0]?.reason})`)
    .join('; ');
  return {
    title,
    subtitle: `OpenAI client → OpenAI upstream, ${s.tokens}-token answers, concurrency ${s.concurrency}`,
    rows: [
      row('requests/s', direct.requestsPerSecond, proxy?.requestsPerSecond, {
        unit: 'req/s',
        nginx: nginx?.requestsPerSecond,
        note: failed || null,
      }),
      row('latency p50', direct.totalMs.p50, proxy?.totalMs.p50, {
        unit: 'ms',
        added: true,
        nginx: nginx?.totalMs.p50,
      }),
      row('latency p99', direct.totalMs.p99, proxy?.totalMs.p99, {
        unit: 'ms',
        added: true,
        nginx: nginx?.totalMs.p99,
      }),
      ...workerRows(data),
    ],
    data,
  };
}

/** One requests/s row per worker count, against direct; the last says what each added worker brought. */
function workerRows(data) {
  const entries = Object.entries(data.workers);
  const out = entries.map(([workers, entry]) =>
    row(`proxy, ${workers} worker(s): requests/s`, data.direct.requestsPerSecond, entry.requestsPerSecond, {
      unit: 'req/s',
      note:
        [entry.note, entry.failed > 0 ? `${entry.failed} failed (${entry.failures[0]?.reason})` : null]
          .filter(Boolean)
          .join('; ') || null,
    }),
  );
  // Only when every count really ran as that many workers: otherwise the difference is noise.
  if (entries.length >= 2 && entries.every(([, entry]) => entry.note === null)) {
    const [[w1, first], [w2, last]] = [entries[0], entries.at(-1)];
    const added = Number(w2) - Number(w1);
    if (added > 0 && first.requestsPerSecond > 0) {
      const gain = (last.requestsPerSecond / first.requestsPerSecond - 1) / added;
      out.push(
        row(`requests/s gained per added worker (${w1} → ${w2})`, null, gain * 100, {
          unit: '%',
          note: 'on 2 cores shared with the client and the upstream: a floor, not the figure per added core',
        }),
      );
    }
  }
  return out;
}
