// Percentiles and summaries. Nearest-rank percentiles over the recorded values: no interpolation, no
// histograms, so every figure is a latency that some request really had.

/** @param {number[]} values */
export function summarize(values) {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0)
    return { count: 0, min: null, p50: null, p90: null, p99: null, max: null, mean: null };
  const sorted = Float64Array.from(finite).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    min: sorted[0],
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    mean: sum / sorted.length,
  };
}

/** @param {Float64Array} sorted ascending @param {number} p 0..100 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(values) {
  return summarize(values).p50;
}

/** Rounds every number in a (JSON-bound) value to at most `digits` decimals. */
export function rounded(value, digits = 3) {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    const factor = 10 ** digits;
    return Math.round(value * factor) / factor;
  }
  if (Array.isArray(value)) return value.map((item) => rounded(item, digits));
  if (value !== null && typeof value === 'object') {
    const out = {};
    for (const [key, item] of Object.entries(value)) out[key] = rounded(item, digits);
    return out;
  }
  return value;
}

/** Summary of a batch of request results: counts, failures (first few reasons), TTFT and total time. */
export function summarizeResults(results) {
  const intact = results.filter((result) => result.intact);
  const errors = new Map();
  for (const result of results) {
    if (!result.intact) {
      const reason = result.error ?? `HTTP ${result.status}`;
      errors.set(reason, (errors.get(reason) ?? 0) + 1);
    }
  }
  return {
    requests: results.length,
    intact: intact.length,
    failed: results.length - intact.length,
    failures: [...errors].slice(0, 5).map(([reason, count]) => ({ reason, count })),
    ttftMs: summarize(intact.map((result) => result.ttftMs)),
    totalMs: summarize(intact.map((result) => result.totalMs)),
  };
}
