// Scenario 1: added time to first token. One request at a time, then an open loop at fixed offered rates,
// then a ladder of rates to find the highest one served with TTFT p99 under the limit.
import { openLoop, sequential } from '../client/load.mjs';
import { sendRequest } from '../client/send-request.mjs';
import { MODELS } from '../proxy-config.mjs';
import { summarizeResults } from '../stats.mjs';
import { makeAgent, row, target, warm } from './common.mjs';

export const title = 'Added time to first token';

export async function run(ctx) {
  const s = ctx.settings.ttft;
  const passthrough = { dialect: 'openai', model: MODELS.openai, stream: true, tokens: s.tokens };
  const translated = { dialect: 'anthropic', model: MODELS.openai, stream: true, tokens: s.tokens };
  const agent = makeAgent(4096);
  const data = { tokens: s.tokens, sequential: {}, sequentialTranslated: {}, openLoop: [], sustained: {} };
  try {
    for (const { name, origin } of ctx.targets) {
      ctx.log(`ttft: ${name}, ${s.sequential} requests one at a time`);
      await warm(s.warmup, () => sendRequest(agent, origin, passthrough));
      data.sequential[name] = summarizeResults(
        await sequential(s.sequential, () => sendRequest(agent, origin, passthrough)),
      );
      await warm(Math.ceil(s.warmup / 2), () => sendRequest(agent, origin, translated));
      data.sequentialTranslated[name] = summarizeResults(
        await sequential(s.sequential, () => sendRequest(agent, origin, translated)),
      );
    }
    for (const rate of s.rates) {
      const entry = { rate };
      for (const { name, origin } of ctx.targets) {
        ctx.log(`ttft: ${name}, open loop at ${rate} req/s for ${s.rateSeconds} s`);
        entry[name] = loopSummary(
          await openLoop({ rate, durationMs: s.rateSeconds * 1000 }, () =>
            sendRequest(agent, origin, passthrough),
          ),
        );
      }
      data.openLoop.push(entry);
    }
    for (const { name, origin } of ctx.targets) {
      data.sustained[name] = await sustainedRate(ctx, name, s.sustain, () =>
        sendRequest(agent, origin, passthrough),
      );
    }
  } finally {
    await agent.close();
  }
  return {
    title,
    subtitle: `OpenAI client → OpenAI upstream, ${s.tokens}-token streams`,
    rows: rows(data, s),
    data,
  };
}

function loopSummary(loop) {
  const { results, ...rest } = loop;
  return { ...rest, ...summarizeResults(results) };
}

/** Climbs the ladder of offered rates until one fails: p99 over the limit, a failed request, or overload. */
async function sustainedRate(ctx, name, { ladder, stepSeconds, p99Ms }, send) {
  const steps = [];
  let best = null;
  for (const rate of ladder) {
    ctx.log(`ttft: ${name}, sustained-rate step ${rate} req/s`);
    const loop = loopSummary(
      await openLoop({ rate, durationMs: stepSeconds * 1000, maxInFlight: Math.max(500, rate) }, send),
    );
    const p99 = loop.ttftMs.p99;
    let failedBecause = null;
    if (loop.overloaded) failedBecause = 'overloaded (too many requests outstanding)';
    else if (loop.failed > 0) failedBecause = `${loop.failed} requests failed`;
    else if (loop.achievedRate < 0.95 * rate) failedBecause = 'the client could not keep the schedule';
    else if (p99 === null || p99 >= p99Ms) failedBecause = `TTFT p99 ${p99?.toFixed(1)} ms`;
    steps.push({
      rate,
      pass: failedBecause === null,
      failedBecause,
      p50: loop.ttftMs.p50,
      p99,
      achievedRate: loop.achievedRate,
      lagP99: loop.lagMs.p99,
    });
    if (failedBecause !== null) break;
    best = rate;
  }
  return { best, reachedTop: best === ladder.at(-1), p99LimitMs: p99Ms, steps };
}

function rows(data, s) {
  const { direct, proxy, nginx } = data.sequential;
  const out = [
    row('one at a time: TTFT p50', direct?.ttftMs.p50, proxy?.ttftMs.p50, {
      unit: 'ms',
      added: true,
      nginx: nginx?.ttftMs.p50,
      target: target('added < 1 ms', diff(proxy?.ttftMs.p50, direct?.ttftMs.p50), (x) => x < 1),
    }),
    row('one at a time: TTFT p99', direct?.ttftMs.p99, proxy?.ttftMs.p99, {
      unit: 'ms',
      added: true,
      nginx: nginx?.ttftMs.p99,
    }),
    // nginx does not translate: its figure here is the Anthropic request passed through unchanged.
    row(
      'one at a time, translated (Anthropic client): TTFT p50',
      data.sequentialTranslated.direct?.ttftMs.p50,
      data.sequentialTranslated.proxy?.ttftMs.p50,
      { unit: 'ms', added: true, nginx: data.sequentialTranslated.nginx?.ttftMs.p50 },
    ),
  ];
  for (const entry of data.openLoop) {
    const note = clientNote(entry);
    out.push(
      row(`${entry.rate} req/s open loop: TTFT p50`, entry.direct?.ttftMs.p50, entry.proxy?.ttftMs.p50, {
        unit: 'ms',
        added: true,
        nginx: entry.nginx?.ttftMs.p50,
      }),
      row(`${entry.rate} req/s open loop: TTFT p99`, entry.direct?.ttftMs.p99, entry.proxy?.ttftMs.p99, {
        unit: 'ms',
        added: true,
        nginx: entry.nginx?.ttftMs.p99,
        note,
        target:
          entry.rate === 300
            ? target('added < 5 ms', diff(entry.proxy?.ttftMs.p99, entry.direct?.ttftMs.p99), (x) => x < 5)
            : null,
      }),
    );
  }
  const sd = data.sustained.direct;
  const sp = data.sustained.proxy;
  const sn = data.sustained.nginx;
  out.push(
    row(`highest rate with TTFT p99 < ${s.sustain.p99Ms} ms`, sd?.best, sp?.best, {
      unit: 'req/s',
      nginx: sn?.best,
      note: sustainNote(sd, sp, sn),
      target:
        sp !== undefined && sd?.best
          ? target('≥ 50% of direct', (sp.best ?? 0) / sd.best, (x) => x >= 0.5)
          : null,
    }),
  );
  return out;
}

function diff(a, b) {
  return typeof a === 'number' && typeof b === 'number' ? a - b : null;
}

function clientNote(entry) {
  const notes = [];
  for (const name of ['direct', 'proxy', 'nginx']) {
    const loop = entry[name];
    if (!loop) continue;
    if (loop.failed > 0) notes.push(`${name}: ${loop.failed} failed`);
    if (loop.achievedRate < 0.95 * entry.rate)
      notes.push(`${name}: client sent only ${Math.round(loop.achievedRate)}/s`);
  }
  return notes.length ? notes.join('; ') : null;
}

function sustainNote(direct, proxy, nginx) {
  const describe = (name, result) => {
    if (!result) return null;
    if (result.reachedTop) return `${name}: top of the ladder (not a limit)`;
    const failed = result.steps.at(-1);
    return `${name} stopped at ${failed.rate}: ${failed.failedBecause}`;
  };
  return (
    [describe('direct', direct), describe('proxy', proxy), describe('nginx', nginx)]
      .filter(Boolean)
      .join('; ') || null
  );
}
