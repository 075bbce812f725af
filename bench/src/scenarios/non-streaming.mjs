// Scenario 3: non-streamed requests at a fixed concurrency (closed loop): requests per second and latency.
import { closedLoop } from '../client/load.mjs';
import { sendRequest } from '../client/send-request.mjs';
import { MODELS } from '../proxy-config.mjs';
import { summarizeResults } from '../stats.mjs';
import { makeAgent, row, warm } from './common.mjs';

export const title = 'Non-streaming requests';

export async function run(ctx) {
  const s = ctx.settings.nonStreaming;
  const spec = { dialect: 'openai', model: MODELS.openai, stream: false, tokens: s.tokens };
  const agent = makeAgent(s.concurrency * 2);
  const data = { concurrency: s.concurrency, seconds: s.seconds, tokens: s.tokens };
  try {
    for (const { name, origin } of ctx.targets) {
      ctx.log(`non-streaming: ${name}, concurrency ${s.concurrency} for ${s.seconds} s`);
      await warm(20, () => sendRequest(agent, origin, spec));
      const loop = await closedLoop({ concurrency: s.concurrency, durationMs: s.seconds * 1000 }, () =>
        sendRequest(agent, origin, spec),
      );
      const summary = summarizeResults(loop.results);
      data[name] = { ...summary, seconds: loop.seconds, requestsPerSecond: summary.intact / loop.seconds };
    }
  } finally {
    await agent.close();
  }
  const { direct, proxy } = data;
  const failed = ['direct', 'proxy']
    .filter((name) => data[name]?.failed > 0)
    .map((name) => `${name}: ${data[name].failed} failed (${data[name].failures[0]?.reason})`)
    .join('; ');
  return {
    title,
    subtitle: `OpenAI client → OpenAI upstream, ${s.tokens}-token answers, concurrency ${s.concurrency}`,
    rows: [
      row('requests/s', direct.requestsPerSecond, proxy?.requestsPerSecond, {
        unit: 'req/s',
        note: failed || null,
      }),
      row('latency p50', direct.totalMs.p50, proxy?.totalMs.p50, { unit: 'ms', added: true }),
      row('latency p99', direct.totalMs.p99, proxy?.totalMs.p99, { unit: 'ms', added: true }),
    ],
    data,
  };
}
