// Scenario 5: coalescing. The same stream (tokens a few ms apart) through aliases with buffer_tokens 1, 5
// and 20: how many SSE events, socket reads and bytes reach the client, against the upstream's own stream.
import { sendRequest } from '../client/send-request.mjs';
import { MODELS } from '../proxy-config.mjs';
import { makeAgent, row } from './common.mjs';

export const title = 'Coalescing';

export async function run(ctx) {
  const s = ctx.settings.coalescing;
  const base = { dialect: 'openai', stream: true, tokens: s.tokens, gapMs: s.gapMs };
  const agent = makeAgent(8);
  const data = { tokens: s.tokens, gapMs: s.gapMs, direct: null, proxy: {}, nginx: null };
  try {
    ctx.log(`coalescing: direct, one ${s.tokens}-token stream`);
    data.direct = figures(await sendRequest(agent, ctx.upstream.url, { ...base, model: MODELS.openai }));
    if (ctx.hasProxy) {
      for (const n of s.bufferTokens) {
        ctx.log(`coalescing: proxy, buffer_tokens ${n}`);
        data.proxy[n] = figures(
          await sendRequest(agent, ctx.proxy.url, { ...base, model: MODELS.coalesced(n) }),
        );
      }
    }
    if (ctx.nginx) {
      // nginx does not coalesce: its row is the upstream's stream as nginx relays it (buffer_tokens 1).
      ctx.log(`coalescing: nginx, one ${s.tokens}-token stream`);
      data.nginx = figures(await sendRequest(agent, ctx.nginx.url, { ...base, model: MODELS.openai }));
    }
  } finally {
    await agent.close();
  }
  const rows = [];
  for (const n of s.bufferTokens) {
    const proxy = data.proxy[n];
    const nginx = n === 1 ? data.nginx : null;
    const note = [data.direct, proxy, nginx]
      .filter((entry) => entry && !entry.intact)
      .map((entry) => entry.error)
      .join('; ');
    rows.push(
      row(`buffer_tokens ${n}: SSE events`, data.direct.events, proxy?.events, {
        unit: 'count',
        nginx: nginx?.events,
        note: note || null,
      }),
      row(`buffer_tokens ${n}: socket reads`, data.direct.reads, proxy?.reads, {
        unit: 'count',
        nginx: nginx?.reads,
      }),
      row(`buffer_tokens ${n}: bytes`, data.direct.bytes, proxy?.bytes, { unit: 'B', nginx: nginx?.bytes }),
    );
  }
  return {
    title,
    subtitle: `one ${s.tokens}-token stream, a token every ${s.gapMs} ms; direct is the upstream's own stream`,
    rows,
    data,
  };
}

function figures(result) {
  return {
    intact: result.intact,
    error: result.error ?? null,
    events: result.events,
    contentEvents: result.contentEvents,
    reads: result.reads,
    bytes: result.bytes,
    ttftMs: result.ttftMs,
    totalMs: result.totalMs,
  };
}
