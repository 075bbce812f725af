/**
 * Merges the metric families of several processes (the workers of `tokenpak proxy --workers N`) into one set:
 * counters and histograms are summed series by series (same name, same label values); gauges are summed too,
 * since every gauge TokenPak exports counts something held per process (open streams, stream logs and their
 * bytes, evictions), so the sum is the cluster's figure. A gauge that should stay per process carries a
 * label that tells the processes apart (e.g. `worker`), and summing leaves its series apart.
 * Families keep the order in which they first appear.
 */
import type { HistogramFamily, MetricFamily, ValueFamily } from './metric-family.ts';

const SEPARATOR = '\u0000';

export function mergeFamilies(sets: ReadonlyArray<readonly MetricFamily[]>): MetricFamily[] {
  const merged = new Map<string, MetricFamily>();
  for (const families of sets) {
    for (const family of families) {
      const into = merged.get(family.name);
      if (!into) merged.set(family.name, copy(family));
      else if (into.type === 'histogram' && family.type === 'histogram') addHistogram(into, family);
      else if (into.type !== 'histogram' && family.type !== 'histogram') addValues(into, family);
      // Same name, another type: a version mismatch between processes; the first one seen is kept.
    }
  }
  return [...merged.values()];
}

function copy(family: MetricFamily): MetricFamily {
  if (family.type === 'histogram') {
    return {
      ...family,
      series: family.series.map((s) => ({ ...s, labels: [...s.labels], counts: [...s.counts] })),
    };
  }
  return { ...family, series: family.series.map((s) => ({ labels: [...s.labels], value: s.value })) };
}

function addValues(into: ValueFamily, from: ValueFamily): void {
  const index = new Map(into.series.map((s) => [s.labels.join(SEPARATOR), s]));
  for (const series of from.series) {
    const found = index.get(series.labels.join(SEPARATOR));
    if (found) found.value += series.value;
    else into.series.push({ labels: [...series.labels], value: series.value });
  }
}

function addHistogram(into: HistogramFamily, from: HistogramFamily): void {
  const index = new Map(into.series.map((s) => [s.labels.join(SEPARATOR), s]));
  for (const series of from.series) {
    const found = index.get(series.labels.join(SEPARATOR));
    if (!found) {
      into.series.push({ ...series, labels: [...series.labels], counts: [...series.counts] });
      continue;
    }
    for (let i = 0; i < found.counts.length; i++)
      found.counts[i] = (found.counts[i] ?? 0) + (series.counts[i] ?? 0);
    found.sum += series.sum;
    found.count += series.count;
  }
}
