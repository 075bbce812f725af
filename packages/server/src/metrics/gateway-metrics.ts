/** The metrics TokenPak exports, on one registry per app. */
import { type Counter, createMetricsRegistry, type Histogram, type MetricsRegistry } from './registry.ts';

/** Seconds: from sub-millisecond (fast path, mock) to minutes (long generations). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** Labels of the per-request histograms, in this order. */
export const REQUEST_LABELS = ['model', 'provider', 'dialect', 'stream'] as const;

export type RequestOutcome =
  | 'ok'
  | 'client_error'
  | 'unauthorized'
  | 'rate_limited'
  | 'upstream_error'
  | 'cancelled'
  | 'shutdown'
  | 'internal_error';

export interface GatewayMetrics {
  readonly registry: MetricsRegistry;
  /** tokenpak_ttft_seconds{model,provider,dialect,stream} */
  readonly ttft: Histogram;
  /** tokenpak_request_duration_seconds{model,provider,dialect,stream} */
  readonly duration: Histogram;
  /** tokenpak_requests_total{outcome} */
  readonly requests: Counter;
  /** tokenpak_tokens_total{direction="in"|"out"} */
  readonly tokens: Counter;
  /** tokenpak_upstream_attempts_total{provider,result="ok"|"retried"|"fell_back"|"failed"} */
  readonly attempts: Counter;
  /** tokenpak_fallbacks_total{from,to}: requests served by a fallback alias. */
  readonly fallbacks: Counter;
  /** tokenpak_first_token_gate_seconds: how long clients waited at the gate for the first content. */
  readonly gateWait: Histogram;
  /** tokenpak_stream_resumes_total{result="ok"|"not_found"} */
  readonly resumes: Counter;
  /** Registers the reader of tokenpak_active_streams (the app's limiter). Called once by createApp. */
  bindActiveStreams(read: () => number): void;
  /** Registers the readers of the stream log gauges. Called once by createApp. */
  bindStreamLogs(read: () => { logs: number; bytes: number; evictions: number }): void;
  render(): string;
}

export function createGatewayMetrics(): GatewayMetrics {
  const registry = createMetricsRegistry();
  const ttft = registry.histogram(
    'tokenpak_ttft_seconds',
    'Time from request arrival to the first content byte written to the client.',
    REQUEST_LABELS,
    LATENCY_BUCKETS,
  );
  const duration = registry.histogram(
    'tokenpak_request_duration_seconds',
    'Time from request arrival to the end of the response.',
    REQUEST_LABELS,
    LATENCY_BUCKETS,
  );
  const requests = registry.counter('tokenpak_requests_total', 'Requests by outcome.', ['outcome']);
  const tokens = registry.counter(
    'tokenpak_tokens_total',
    'Tokens by direction (in: prompt, out: completion).',
    ['direction'],
  );
  const attempts = registry.counter(
    'tokenpak_upstream_attempts_total',
    'Upstream attempts before the first content, by provider and what followed (ok, retried, fell_back, failed).',
    ['provider', 'result'],
  );
  const fallbacks = registry.counter(
    'tokenpak_fallbacks_total',
    'Requests served by a fallback alias, by the alias asked for and the alias that served.',
    ['from', 'to'],
  );
  const gateWait = registry.histogram(
    'tokenpak_first_token_gate_seconds',
    'Time a streamed request waited at the first-token gate (retries and fallbacks included).',
    [],
    LATENCY_BUCKETS,
  );
  const resumes = registry.counter(
    'tokenpak_stream_resumes_total',
    'Reads of a stream log by a client that came back (GET /v1/streams/{id}), by result.',
    ['result'],
  );
  let bound = false;
  let logsBound = false;
  return {
    resumes,
    bindStreamLogs(read) {
      if (logsBound) throw new Error('stream log gauges are already bound: use one metrics per app');
      logsBound = true;
      registry.gauge(
        'tokenpak_stream_logs',
        'Stream logs held (running and finished streams).',
        () => read().logs,
      );
      registry.gauge('tokenpak_stream_log_bytes', 'Bytes held in stream logs.', () => read().bytes);
      registry.gauge(
        'tokenpak_stream_log_evictions',
        'Finished stream logs evicted to make room, since start.',
        () => read().evictions,
      );
    },
    registry,
    ttft,
    duration,
    requests,
    attempts,
    fallbacks,
    gateWait,
    tokens,
    bindActiveStreams(read) {
      if (bound)
        throw new Error('tokenpak_active_streams is already bound to a limiter: use one metrics per app');
      bound = true;
      registry.gauge('tokenpak_active_streams', 'Streams open now (each holds a concurrency slot).', read);
    },
    render: () => registry.render(),
  };
}
