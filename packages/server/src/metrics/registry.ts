/**
 * A small per-app metrics registry: counters, gauges and histograms with labels, rendered as Prometheus text.
 * No module state: every app creates its own.
 */
import { formatHeader, formatLabels, formatNumber } from './prometheus-text.ts';

const LABEL_SEPARATOR = '\u0000';

export interface Counter {
  inc(labels: readonly string[], value?: number): void;
  get(labels: readonly string[]): number;
}

export interface Histogram {
  observe(labels: readonly string[], value: number): void;
  /** Number of observations for these labels. */
  count(labels: readonly string[]): number;
}

export interface MetricsRegistry {
  counter(name: string, help: string, labelNames: readonly string[]): Counter;
  histogram(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]): Histogram;
  /** A gauge whose value is read when rendering. */
  gauge(name: string, help: string, read: () => number): void;
  render(): string;
}

interface Renderable {
  render(): string;
}

export function createMetricsRegistry(): MetricsRegistry {
  const metrics: Renderable[] = [];
  const names = new Set<string>();
  const claim = (name: string): void => {
    if (names.has(name)) throw new Error(`metric ${name} is already registered`);
    names.add(name);
  };

  return {
    counter(name, help, labelNames) {
      claim(name);
      const series = new Map<string, number>();
      metrics.push({
        render() {
          let out = formatHeader(name, help, 'counter');
          for (const [key, value] of series) {
            out +=
              name + formatLabels(labelNames, key.split(LABEL_SEPARATOR)) + ' ' + formatNumber(value) + '\n';
          }
          return out;
        },
      });
      return {
        inc(labels, value = 1) {
          const key = labels.join(LABEL_SEPARATOR);
          series.set(key, (series.get(key) ?? 0) + value);
        },
        get(labels) {
          return series.get(labels.join(LABEL_SEPARATOR)) ?? 0;
        },
      };
    },
    histogram(name, help, labelNames, buckets) {
      claim(name);
      const bounds = [...buckets].sort((a, b) => a - b);
      const series = new Map<string, { counts: number[]; sum: number; count: number }>();
      const bucketLabels = [...labelNames, 'le'];
      metrics.push({
        render() {
          let out = formatHeader(name, help, 'histogram');
          for (const [key, data] of series) {
            const values = key === '' && labelNames.length === 0 ? [] : key.split(LABEL_SEPARATOR);
            let cumulative = 0;
            for (let i = 0; i < bounds.length; i++) {
              cumulative += data.counts[i] ?? 0;
              const le = formatNumber(bounds[i] as number);
              out += name + '_bucket' + formatLabels(bucketLabels, [...values, le]) + ' ' + cumulative + '\n';
            }
            out +=
              name + '_bucket' + formatLabels(bucketLabels, [...values, '+Inf']) + ' ' + data.count + '\n';
            out += name + '_sum' + formatLabels(labelNames, values) + ' ' + formatNumber(data.sum) + '\n';
            out += name + '_count' + formatLabels(labelNames, values) + ' ' + data.count + '\n';
          }
          return out;
        },
      });
      return {
        observe(labels, value) {
          const key = labels.join(LABEL_SEPARATOR);
          let data = series.get(key);
          if (!data) {
            data = { counts: new Array<number>(bounds.length).fill(0), sum: 0, count: 0 };
            series.set(key, data);
          }
          data.sum += value;
          data.count++;
          for (let i = 0; i < bounds.length; i++) {
            if (value <= (bounds[i] as number)) {
              data.counts[i] = (data.counts[i] ?? 0) + 1;
              break;
            }
          }
        },
        count(labels) {
          return series.get(labels.join(LABEL_SEPARATOR))?.count ?? 0;
        },
      };
    },
    gauge(name, help, read) {
      claim(name);
      metrics.push({
        render: () => formatHeader(name, help, 'gauge') + name + ' ' + formatNumber(read()) + '\n',
      });
    },
    render() {
      let out = '';
      for (const metric of metrics) out += metric.render();
      return out;
    },
  };
}
