// Scenario: what one request costs the proxy in CPU, next to nginx measured the same way, and the TTFT the
// proxy adds while it does so. Short streams at concurrency 8 and non-streamed requests at concurrency 16,
// each a closed loop; the CPU figure is the target's process CPU time (user + system, from /proc, workers
// included) over the phase ÷ the requests it served. Measured in rounds, every target once per round in a
// rotating order, and reported as medians over rounds; ratios and added times are paired (median of the
// per-round figure against the direct run of the same round), so a neighbour's load that comes and goes
// moves both sides of a pair.
import { closedLoop } from '../client/load.mjs';
import { sendRequest } from '../client/send-request.mjs';
import { MODELS } from '../proxy-config.mjs';
import { median, summarizeResults } from '../stats.mjs';
import { makeAgent, row, target, warm } from './common.mjs';

export const title = 'CPU per request';

const CPU_GOAL = 2; // the target: within 2× of nginx's CPU per request

export async function run(ctx) {
  const s = ctx.settings.cpuPerRequest;
  const phases = [
    {
      key: 'streamed',
      spec: { dialect: 'openai', model: MODELS.openai, stream: true, tokens: s.streamTokens },
      concurrency: s.streamConcurrency,
    },
    {
      key: 'nonStreamed',
      spec: { dialect: 'openai', model: MODELS.openai, stream: false, tokens: s.nonStreamTokens },
      concurrency: s.nonStreamConcurrency,
    },
  ];
  const agent = makeAgent(Math.max(s.streamConcurrency, s.nonStreamConcurrency) * 2);
  const data = { ...s, rounds: [] };
  // The Node floor goes with the targets here only: it is the reference for what a request costs in Node.
  const floor = ctx.hasProxy && ctx.startFloor ? await ctx.startFloor() : null;
  const targets = floor ? [...ctx.targets, { name: 'floor', origin: floor.url, child: floor }] : ctx.targets;
  try {
    for (const { name, origin } of targets) {
      ctx.log(`cpu per request: warming ${name}`);
      for (const phase of phases) await warm(s.warmup, () => sendRequest(agent, origin, phase.spec));
    }
    for (let round = 0; round < s.rounds; round++) {
      const entry = {};
      // Rotate who goes first, so that a drift in the machine's load does not always land on one target.
      const order = targets.map((_, i) => targets[(i + round) % targets.length]);
      for (const phase of phases) {
        entry[phase.key] = {};
        for (const t of order) {
          ctx.log(
            `cpu per request: round ${round + 1}/${s.rounds}, ${phase.key}, ${t.name}, concurrency ${phase.concurrency} for ${s.seconds} s`,
          );
          entry[phase.key][t.name] = await measure(ctx, t, phase, s.seconds, agent);
        }
      }
      data.rounds.push(entry);
    }
  } finally {
    await agent.close();
    await floor?.close();
  }
  for (const phase of phases) data[phase.key] = aggregate(data.rounds, phase.key, targets);
  return {
    title,
    subtitle: `OpenAI → OpenAI; ${s.streamTokens}-token streams at concurrency ${s.streamConcurrency}, non-streamed ${s.nonStreamTokens}-token answers at concurrency ${s.nonStreamConcurrency}; ${s.seconds} s a phase, median of ${s.rounds} round(s)`,
    rows: rows(data, s),
    data,
  };
}

/** One closed loop against one target, with the CPU time the target and the upstream spent during it. */
async function measure(ctx, t, phase, seconds, agent) {
  const targetBefore = t.child?.usage() ?? null;
  const upstreamBefore = ctx.upstream.usage();
  const loop = await closedLoop({ concurrency: phase.concurrency, durationMs: seconds * 1000 }, () =>
    sendRequest(agent, t.origin, phase.spec),
  );
  const targetAfter = t.child?.usage() ?? null;
  const upstreamAfter = ctx.upstream.usage();
  const summary = summarizeResults(loop.results);
  const requests = loop.results.length;
  const perRequest = (before, after) =>
    before?.cpuMs != null && after?.cpuMs != null && requests > 0
      ? (after.cpuMs - before.cpuMs) / requests
      : null;
  return {
    requests,
    intact: summary.intact,
    failed: summary.failed,
    failures: summary.failures,
    seconds: loop.seconds,
    requestsPerSecond: summary.intact / loop.seconds,
    ttftMs: summary.ttftMs,
    totalMs: summary.totalMs,
    cpuMsPerRequest: perRequest(targetBefore, targetAfter),
    upstreamCpuMsPerRequest: perRequest(upstreamBefore, upstreamAfter),
    processes: targetAfter?.processes ?? null,
  };
}

/** Medians over rounds per target, and paired ratios / differences against direct. */
function aggregate(rounds, key, targets) {
  const out = {};
  const figure = (name, pick) => median(rounds.map((entry) => pick(entry[key][name])).filter(isNumber));
  const paired = (name, pick, combine) =>
    median(
      rounds
        .map((entry) => {
          const a = pick(entry[key][name]);
          const b = pick(entry[key].direct);
          return isNumber(a) && isNumber(b) ? combine(a, b) : null;
        })
        .filter(isNumber),
    );
  for (const { name } of targets) {
    const all = rounds.map((entry) => entry[key][name]);
    out[name] = {
      requests: all.reduce((sum, m) => sum + m.requests, 0),
      failed: all.reduce((sum, m) => sum + m.failed, 0),
      failures: all.flatMap((m) => m.failures).slice(0, 3),
      requestsPerSecond: figure(name, (m) => m.requestsPerSecond),
      ttftP50: figure(name, (m) => m.ttftMs.p50),
      ttftP99: figure(name, (m) => m.ttftMs.p99),
      totalP50: figure(name, (m) => m.totalMs.p50),
      cpuMsPerRequest: figure(name, (m) => m.cpuMsPerRequest),
      upstreamCpuMsPerRequest: figure(name, (m) => m.upstreamCpuMsPerRequest),
      paired:
        name === 'direct'
          ? null
          : {
              rpsRatio: paired(
                name,
                (m) => m.requestsPerSecond,
                (a, b) => (b > 0 ? a / b : null),
              ),
              addedTtftP50: paired(
                name,
                (m) => m.ttftMs.p50,
                (a, b) => a - b,
              ),
              addedTtftP99: paired(
                name,
                (m) => m.ttftMs.p99,
                (a, b) => a - b,
              ),
              addedTotalP50: paired(
                name,
                (m) => m.totalMs.p50,
                (a, b) => a - b,
              ),
            },
    };
  }
  return out;
}

function isNumber(x) {
  return typeof x === 'number' && Number.isFinite(x);
}

function rows(data, s) {
  const out = [];
  const streamed = data.streamed;
  const whole = data.nonStreamed;
  const pairs = (phase, ratioKey, addedKey) => ({
    ...(ratioKey ? { ratio: phase.proxy?.paired[ratioKey], nginxRatio: phase.nginx?.paired[ratioKey] } : {}),
    ...(addedKey ? { added: phase.proxy?.paired[addedKey], nginxAdded: phase.nginx?.paired[addedKey] } : {}),
  });
  const s1 = `${s.streamTokens}-token streams, concurrency ${s.streamConcurrency}`;
  const s2 = `non-streamed, concurrency ${s.nonStreamConcurrency}`;
  out.push(
    row(`${s1}: TTFT p50`, streamed.direct.ttftP50, streamed.proxy?.ttftP50, {
      unit: 'ms',
      added: true,
      nginx: streamed.nginx?.ttftP50,
      paired: pairs(streamed, null, 'addedTtftP50'),
      note: failures(streamed),
    }),
    row(`${s1}: TTFT p99`, streamed.direct.ttftP99, streamed.proxy?.ttftP99, {
      unit: 'ms',
      added: true,
      nginx: streamed.nginx?.ttftP99,
      paired: pairs(streamed, null, 'addedTtftP99'),
    }),
    row(`${s1}: requests/s`, streamed.direct.requestsPerSecond, streamed.proxy?.requestsPerSecond, {
      unit: 'req/s',
      nginx: streamed.nginx?.requestsPerSecond,
      paired: pairs(streamed, 'rpsRatio', null),
    }),
    cpuRow(`${s1}: CPU per request`, streamed),
    row(`${s2}: requests/s`, whole.direct.requestsPerSecond, whole.proxy?.requestsPerSecond, {
      unit: 'req/s',
      nginx: whole.nginx?.requestsPerSecond,
      paired: pairs(whole, 'rpsRatio', null),
      note: failures(whole),
    }),
    row(`${s2}: latency p50`, whole.direct.totalP50, whole.proxy?.totalP50, {
      unit: 'ms',
      added: true,
      nginx: whole.nginx?.totalP50,
      paired: pairs(whole, null, 'addedTotalP50'),
    }),
    cpuRow(`${s2}: CPU per request`, whole),
  );
  return out;
}

/**
 * The CPU row: the proxy's and nginx's own CPU per request; the direct column stays empty (the client talks to
 * the upstream, there is no proxy to measure). The note gives proxy ÷ nginx, the Node floor's figure (see
 * children/node-floor-process.mjs) with proxy ÷ floor, and what the fake upstream spent.
 */
function cpuRow(label, phase) {
  const proxy = phase.proxy?.cpuMsPerRequest ?? null;
  const nginx = phase.nginx?.cpuMsPerRequest ?? null;
  const floor = phase.floor?.cpuMsPerRequest ?? null;
  const vsNginx = proxy !== null && nginx !== null && nginx > 0 ? proxy / nginx : null;
  const notes = [];
  if (vsNginx !== null) notes.push(`proxy ÷ nginx = ${vsNginx.toFixed(1)}×`);
  if (proxy !== null && floor !== null && floor > 0)
    notes.push(
      `Node floor (node:http + undici, no parsing) ${floor.toFixed(3)} ms: proxy ÷ floor = ${(proxy / floor).toFixed(1)}×`,
    );
  const upstream = phase.direct.upstreamCpuMsPerRequest;
  if (upstream !== null)
    notes.push(`the fake upstream (node:http) spent ${upstream.toFixed(3)} ms a request`);
  return row(label, null, proxy, {
    unit: 'cpu-ms',
    nginx,
    target: phase.proxy ? target(`≤ ${CPU_GOAL}× nginx`, vsNginx, (x) => x <= CPU_GOAL) : null,
    note: notes.join('; ') || null,
  });
}

function failures(phase) {
  const notes = Object.entries(phase)
    .filter(([, entry]) => entry.failed > 0)
    .map(([name, entry]) => `${name}: ${entry.failed} failed (${entry.failures[0]?.reason})`);
  return notes.length ? notes.join('; ') : null;
}
