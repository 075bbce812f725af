// Scenario 2: streaming throughput. One long stream with no delay between tokens, then many at once; in the
// same dialect (passthrough) and translated both ways. The direct baseline for each mode is the same client
// request sent straight to the fake upstream in the client's own dialect, so the client's parsing cost is
// the same on both sides and the ratio is the proxy's cost alone (as far as two cores allow).
import { performance } from 'node:perf_hooks';
import { burst } from '../client/load.mjs';
import { sendRequest } from '../client/send-request.mjs';
import { MODELS } from '../proxy-config.mjs';
import { median, summarizeResults } from '../stats.mjs';
import { makeAgent, row, target } from './common.mjs';

export const title = 'Streaming throughput';

export const MODES = [
  {
    key: 'openai-openai',
    label: 'OpenAI → OpenAI',
    dialect: 'openai',
    model: MODELS.openai,
    translated: false,
  },
  {
    key: 'anthropic-anthropic',
    label: 'Anthropic → Anthropic',
    dialect: 'anthropic',
    model: MODELS.anthropic,
    translated: false,
  },
  {
    key: 'anthropic-openai',
    label: 'Anthropic client → OpenAI upstream',
    dialect: 'anthropic',
    model: MODELS.openai,
    translated: true,
  },
  {
    key: 'openai-anthropic',
    label: 'OpenAI client → Anthropic upstream',
    dialect: 'openai',
    model: MODELS.anthropic,
    translated: true,
  },
];

export async function run(ctx) {
  const s = ctx.settings.throughput;
  const agent = makeAgent(Math.max(64, s.parallel * 2));
  const data = {
    longTokens: s.longTokens,
    parallel: s.parallel,
    parallelTokens: s.parallelTokens,
    modes: {},
  };
  try {
    for (const mode of MODES) {
      if (s.modes && !s.modes.includes(mode.key)) continue;
      const entry = {};
      for (const { name, origin, child } of ctx.targets) {
        const long = { dialect: mode.dialect, model: mode.model, stream: true, tokens: s.longTokens };
        const short = { ...long, tokens: s.parallelTokens };
        ctx.log(`throughput: ${mode.label}, ${name}: ${s.repeats} × one ${s.longTokens}-token stream`);
        await sendRequest(agent, origin, { ...long, tokens: Math.max(1, Math.ceil(s.longTokens / 4)) });
        // CPU from /proc, the same method for the proxy and nginx (see children/process-cpu.mjs).
        const cpuBefore = child ? child.usage() : null;
        const singles = [];
        for (let i = 0; i < s.repeats; i++) singles.push(await sendRequest(agent, origin, long));
        const cpuMid = child ? child.usage() : null;
        ctx.log(
          `throughput: ${mode.label}, ${name}: ${s.parallel} × ${s.parallelTokens}-token streams at once`,
        );
        const bursts = [];
        for (let i = 0; i < s.repeats; i++) {
          const start = performance.now();
          const results = await burst({ count: s.parallel }, () => sendRequest(agent, origin, short));
          bursts.push({ seconds: (performance.now() - start) / 1000, results });
        }
        const cpuAfter = child ? child.usage() : null;
        entry[name] = {
          single: singleFigures(singles, s.longTokens),
          parallel: parallelFigures(bursts, s.parallelTokens),
          cpu: cpuBefore ? cpuFigures(cpuBefore, cpuMid, cpuAfter, s) : null,
        };
      }
      data.modes[mode.key] = entry;
    }
  } finally {
    await agent.close();
  }
  return {
    title,
    subtitle: `one ${s.longTokens}-token stream, and ${s.parallel} × ${s.parallelTokens}-token streams at once`,
    rows: rows(data),
    data,
  };
}

function singleFigures(results, tokens) {
  const intact = results.filter((result) => result.intact);
  return {
    ...summarizeResults(results),
    tokensPerSecond: median(intact.map((result) => tokens / (result.totalMs / 1000))),
    bytesPerSecond: median(intact.map((result) => result.bytes / (result.totalMs / 1000))),
    bytesPerStream: intact[0]?.bytes ?? null,
  };
}

function parallelFigures(bursts, tokens) {
  const all = bursts.flatMap((entry) => entry.results);
  const complete = bursts.filter((entry) => entry.results.every((result) => result.intact));
  return {
    ...summarizeResults(all),
    tokensPerSecond: median(complete.map((entry) => (entry.results.length * tokens) / entry.seconds)),
    bytesPerSecond: median(
      complete.map((entry) => entry.results.reduce((sum, result) => sum + result.bytes, 0) / entry.seconds),
    ),
  };
}

/** CPU time the target spent per 1,000 tokens, in ms (user + system). */
function cpuFigures(before, mid, after, s) {
  const cpuMs = (a, b) => (a.cpuMs === null || b.cpuMs === null ? null : b.cpuMs - a.cpuMs);
  return {
    singleMsPer1kTokens: per(cpuMs(before, mid), (s.repeats * s.longTokens) / 1000),
    parallelMsPer1kTokens: per(cpuMs(mid, after), (s.repeats * s.parallel * s.parallelTokens) / 1000),
  };
}

function per(value, count) {
  return value === null ? null : value / count;
}

function rows(data) {
  const out = [];
  for (const mode of MODES) {
    const entry = data.modes[mode.key];
    if (!entry) continue;
    // Issue 13's targets: same dialect at least 0.95 of direct, translated at least 0.7.
    const goal = mode.translated ? 0.7 : 0.95;
    const goalText = `≥ ${Math.round(goal * 100)}% of direct`;
    const ratio = (kind) =>
      entry.proxy && entry.direct[kind].tokensPerSecond
        ? entry.proxy[kind].tokensPerSecond / entry.direct[kind].tokensPerSecond
        : null;
    const failures = (kind) => {
      const notes = ['direct', 'proxy', 'nginx']
        .filter((name) => entry[name]?.[kind].failed > 0)
        .map(
          (name) =>
            `${name}: ${entry[name][kind].failed} not intact (${entry[name][kind].failures[0]?.reason})`,
        );
      return notes.length ? notes.join('; ') : null;
    };
    out.push(
      row(
        `${mode.label}, 1 stream: tokens/s`,
        entry.direct.single.tokensPerSecond,
        entry.proxy?.single.tokensPerSecond,
        {
          unit: 'tok/s',
          nginx: entry.nginx?.single.tokensPerSecond,
          target: entry.proxy ? target(goalText, ratio('single'), (x) => x >= goal) : null,
          note: failures('single'),
        },
      ),
      row(
        `${mode.label}, 1 stream: bytes/s`,
        entry.direct.single.bytesPerSecond,
        entry.proxy?.single.bytesPerSecond,
        { unit: 'B/s', nginx: entry.nginx?.single.bytesPerSecond },
      ),
      row(
        `${mode.label}, ${data.parallel} streams: tokens/s`,
        entry.direct.parallel.tokensPerSecond,
        entry.proxy?.parallel.tokensPerSecond,
        {
          unit: 'tok/s',
          nginx: entry.nginx?.parallel.tokensPerSecond,
          target: entry.proxy ? target(goalText, ratio('parallel'), (x) => x >= goal) : null,
          note: failures('parallel'),
        },
      ),
      row(
        `${mode.label}, ${data.parallel} streams: bytes/s`,
        entry.direct.parallel.bytesPerSecond,
        entry.proxy?.parallel.bytesPerSecond,
        { unit: 'B/s', nginx: entry.nginx?.parallel.bytesPerSecond },
      ),
    );
  }
  return out;
}
