/**
 * A small per-app metrics registry: counters, gauges and histograms with labels, collected as plain data
 * (metric families) and rendered as Prometheus text. No module state: every app creates its own.
 */
import type { MetricFamily } from './metric-family.ts';
import { renderFamilies } from './render-families.ts';

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
  /** A gauge whose value is read when collecting. */
  gauge(name: string, help: string, read: () => number): void;
  /** Every metric's samples now, as data (gauges read now): what a cluster worker sends to be merged. */
  collect(): MetricFamily[];
  render(): string;
}

const labelsOf = (key: string, labelNames: readonly string[]): string[] =>
  labelNames.length === 0 ? [] : key.split(LABEL_SEPARATOR);

export function createMetricsRegistry(): MetricsRegistry {
  const metrics: Array<() => MetricFamily> = [];
  const names = new Set<string>();
  const claim = (name: string): void => {
    if (names.has(name)) throw new Error(`metric ${name} is already registered`);
    names.add(name);
  };
  const collect = (): MetricFamily[] => metrics.map((family) => family());

  return {
    counter(name, help, labelNames) {
      claim(name);
      const series = new Map<string, number>();
      metrics.push(() => ({
        type: 'counter',
        name,
        help,
        labelNames: [...labelNames],
        series: [...series].map(([key, value]) => ({ labels: labelsOf(key, labelNames), value })),
      }));
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
      metrics.push(() => ({
        type: 'histogram',
        name,
        help,
        labelNames: [...labelNames],
        buckets: bounds,
        series: [...series].map(([key, data]) => ({
          labels: labelsOf(key, labelNames),
          counts: [...data.counts],
          sum: data.sum,
          count: data.count,
        })),
      }));
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
      metrics.push(() => ({
        type: 'gauge',
        name,
        help,
        labelNames: [],
        series: [{ labels: [], value: read() }],
      }));
    },
    collect,
    render: () => renderFamilies(collect()),
  };
}
