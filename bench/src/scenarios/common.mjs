// Pieces every scenario uses: the HTTP client pool and the shape of a report row.
import { Agent } from 'undici';

/** One undici Agent per scenario: keep-alive connections, no pipelining (like a browser or an SDK). */
export function makeAgent(connections) {
  return new Agent({
    connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 120_000,
    connect: { timeout: 10_000 },
  });
}

/**
 * A report row: one figure measured directly, through the proxy and (with --with-nginx) through nginx. The
 * ratios are against direct; `added` (latencies) is target − direct. `paired` replaces them with the median
 * of per-round ratios and differences, where a scenario measured in rounds.
 * @param {string} label
 * @param {number|null} direct
 * @param {number|null|undefined} proxy
 * @param {{ unit: string, better?: 'lower'|'higher', added?: boolean, nginx?: number|null, paired?: { ratio?: number|null, added?: number|null, nginxRatio?: number|null, nginxAdded?: number|null }, target?: { text: string, pass: boolean } | null, note?: string }} options
 */
export function row(label, direct, proxy, options) {
  const value = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  const d = value(direct);
  const p = value(proxy);
  const n = value(options.nginx);
  const ratio = (x) => (d !== null && x !== null && d !== 0 ? x / d : null);
  const added = (x) => (options.added && d !== null && x !== null ? x - d : null);
  const paired = options.paired ?? {};
  const pick = (key, fallback) => (key in paired ? value(paired[key]) : fallback);
  return {
    label,
    unit: options.unit,
    direct: d,
    proxy: p,
    ratio: pick('ratio', ratio(p)),
    added: pick('added', added(p)),
    nginx: n,
    nginxRatio: pick('nginxRatio', ratio(n)),
    nginxAdded: pick('nginxAdded', added(n)),
    target: options.target ?? null,
    note: options.note ?? null,
  };
}

/** A target check that is only judged when the figure exists. */
export function target(text, figure, test) {
  if (figure === null || figure === undefined || Number.isNaN(figure)) return { text, pass: null };
  return { text, pass: Boolean(test(figure)) };
}

/** Warm a target up: connections opened, code paths compiled, caches filled. */
export async function warm(count, send) {
  for (let i = 0; i < count; i++) await send();
}
