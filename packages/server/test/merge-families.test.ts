import { describe, expect, test } from 'vitest';
import { previousResponseOwner } from '../src/cluster/route-by-owner.ts';
import { ownerOfId, withWorker } from '../src/cluster/worker-ids.ts';
import { mergeFamilies } from '../src/metrics/merge-families.ts';
import { createMetricsRegistry } from '../src/metrics/registry.ts';
import { renderFamilies } from '../src/metrics/render-families.ts';

function worker(requests: number, active: number, latency: number[]) {
  const registry = createMetricsRegistry();
  const counter = registry.counter('x_requests_total', 'Requests.', ['outcome']);
  counter.inc(['ok'], requests);
  const histogram = registry.histogram('x_seconds', 'Latency.', ['model'], [0.1, 1]);
  for (const value of latency) histogram.observe(['m'], value);
  registry.gauge('x_active', 'Open now.', () => active);
  return registry;
}

describe('metrics across workers', () => {
  test('render() is the rendering of collect()', () => {
    const registry = worker(3, 1, [0.05, 0.5, 5]);
    expect(registry.render()).toBe(renderFamilies(registry.collect()));
    expect(registry.render()).toContain('x_seconds_bucket{model="m",le="1"} 2\n');
  });

  test('counters, histograms and gauges are summed series by series; new series are kept', () => {
    const a = worker(3, 1, [0.05, 0.5]);
    const b = worker(4, 2, [5]);
    b.counter('x_only_b_total', 'Only in b.', []).inc([]);
    const text = renderFamilies(mergeFamilies([a.collect(), b.collect()]));
    expect(text).toContain('x_requests_total{outcome="ok"} 7\n');
    expect(text).toContain('x_active 3\n');
    expect(text).toContain('x_seconds_bucket{model="m",le="0.1"} 1\n');
    expect(text).toContain('x_seconds_bucket{model="m",le="1"} 2\n');
    expect(text).toContain('x_seconds_bucket{model="m",le="+Inf"} 3\n');
    expect(text).toContain('x_seconds_sum{model="m"} 5.55\n');
    expect(text).toContain('x_only_b_total 1\n');
    // The merge leaves its inputs alone.
    expect(a.render()).toContain('x_requests_total{outcome="ok"} 3\n');
  });
});

describe('ids that name their worker', () => {
  test('minted ids carry the worker; others name none', () => {
    expect(withWorker('resp_abc123', 3)).toBe('resp_w3_abc123');
    expect(ownerOfId('resp_w3_abc123')).toBe(3);
    expect(ownerOfId('w12_0b4e9a43-1d2c-4c4e-9d61-5b4f1f0c0a11')).toBe(12);
    expect(ownerOfId('resp_abc123')).toBeUndefined();
    expect(ownerOfId('0b4e9a43-1d2c-4c4e-9d61-5b4f1f0c0a11')).toBeUndefined();
  });

  test('the owner of previous_response_id is read from the raw body', () => {
    const body = (text: string) => new TextEncoder().encode(text);
    expect(
      previousResponseOwner(body('{"model":"m","previous_response_id": "resp_w1_ff","input":"x"}')),
    ).toBe(1);
    expect(previousResponseOwner(body('{"model":"m","previous_response_id":"resp_ff"}'))).toBeUndefined();
    expect(previousResponseOwner(body('{"model":"m","input":"x"}'))).toBeUndefined();
  });
});
