/** Metric families → Prometheus text (version 0.0.4). */
import type { MetricFamily } from './metric-family.ts';
import { formatHeader, formatLabels, formatNumber } from './prometheus-text.ts';

export function renderFamilies(families: readonly MetricFamily[]): string {
  let out = '';
  for (const family of families) {
    const { name, labelNames } = family;
    out += formatHeader(name, family.help, family.type);
    if (family.type !== 'histogram') {
      for (const { labels, value } of family.series) {
        out += name + formatLabels(labelNames, labels) + ' ' + formatNumber(value) + '\n';
      }
      continue;
    }
    const bucketLabels = [...labelNames, 'le'];
    for (const data of family.series) {
      let cumulative = 0;
      for (let i = 0; i < family.buckets.length; i++) {
        cumulative += data.counts[i] ?? 0;
        const le = formatNumber(family.buckets[i] as number);
        out += name + '_bucket' + formatLabels(bucketLabels, [...data.labels, le]) + ' ' + cumulative + '\n';
      }
      out +=
        name + '_bucket' + formatLabels(bucketLabels, [...data.labels, '+Inf']) + ' ' + data.count + '\n';
      out += name + '_sum' + formatLabels(labelNames, data.labels) + ' ' + formatNumber(data.sum) + '\n';
      out += name + '_count' + formatLabels(labelNames, data.labels) + ' ' + data.count + '\n';
    }
  }
  return out;
}
