import { describe, expect, test } from 'vitest';
import { createGatewayMetrics } from '../src/metrics/gateway-metrics.ts';
import { escapeLabelValue } from '../src/metrics/prometheus-text.ts';
import { createMetricsRegistry } from '../src/metrics/registry.ts';
import { parsePrometheus } from './helpers/prometheus.ts';

describe('metrics registry', () => {
  test('counters and gauges render in the text format', () => {
    const registry = createMetricsRegistry();
    const counter = registry.counter('t_total', 'Things.', ['kind']);
    counter.inc(['a']);
    counter.inc(['a'], 2);
    counter.inc(['b"\\\n']);
    let value = 7;
    registry.gauge('t_open', 'Open things.', () => value);
    value = 4;
    const text = registry.render();
    expect(text).toContain('# TYPE t_total counter\n');
    expect(text).toContain('t_total{kind="a"} 3\n');
    expect(text).toContain(`t_total{kind="${escapeLabelValue('b"\\\n')}"} 1\n`);
    expect(text).toContain('# TYPE t_open gauge\nt_open 4\n');
    expect(parsePrometheus(text).get('t_total{kind="a"}')).toBe(3);
  });

  test('histograms are cumulative with +Inf, sum and count', () => {
    const registry = createMetricsRegistry();
    const histogram = registry.histogram('h_seconds', 'H.', ['m'], [0.1, 1]);
    histogram.observe(['x'], 0.05);
    histogram.observe(['x'], 0.5);
    histogram.observe(['x'], 5);
    const samples = parsePrometheus(registry.render());
    expect(samples.get('h_seconds_bucket{m="x",le="0.1"}')).toBe(1);
    expect(samples.get('h_seconds_bucket{m="x",le="1"}')).toBe(2);
    expect(samples.get('h_seconds_bucket{m="x",le="+Inf"}')).toBe(3);
    expect(samples.get('h_seconds_count{m="x"}')).toBe(3);
    expect(samples.get('h_seconds_sum{m="x"}')).toBeCloseTo(5.55);
  });

  test('a metric name cannot be registered twice; each gateway metrics object is its own', () => {
    const registry = createMetricsRegistry();
    registry.counter('dup', 'D.', []);
    expect(() => registry.counter('dup', 'D.', [])).toThrow(/already/);
    const a = createGatewayMetrics();
    const b = createGatewayMetrics();
    a.requests.inc(['ok']);
    expect(a.requests.get(['ok'])).toBe(1);
    expect(b.requests.get(['ok'])).toBe(0);
    a.bindActiveStreams(() => 2);
    expect(() => a.bindActiveStreams(() => 3)).toThrow();
    expect(parsePrometheus(a.render()).get('tokenpak_active_streams')).toBe(2);
  });
});
