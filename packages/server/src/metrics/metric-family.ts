/**
 * A metric's samples as plain data: what a registry collects, what a cluster worker sends the primary over IPC,
 * and what the Prometheus text is rendered from.
 */

export interface ValueFamily {
  type: 'counter' | 'gauge';
  name: string;
  help: string;
  labelNames: string[];
  series: Array<{ labels: string[]; value: number }>;
}

export interface HistogramFamily {
  type: 'histogram';
  name: string;
  help: string;
  labelNames: string[];
  /** Upper bounds, ascending, without +Inf. */
  buckets: number[];
  /** `counts[i]`: observations in bucket i alone (not cumulative); `count` includes those above every bound. */
  series: Array<{ labels: string[]; counts: number[]; sum: number; count: number }>;
}

export type MetricFamily = ValueFamily | HistogramFamily;
