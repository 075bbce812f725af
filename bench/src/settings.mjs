// Run profiles (full, quick, tiny) and the environment knobs that override them. Every scenario reads its
// counts and durations from here, so the whole run stays bounded.

export const PROFILES = {
  full: {
    ttft: {
      tokens: 8,
      warmup: 100,
      sequential: 500,
      rates: [100, 300, 1000],
      rateSeconds: 5,
      sustain: {
        ladder: [500, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000],
        stepSeconds: 2,
        p99Ms: 50,
      },
    },
    cpuPerRequest: {
      streamTokens: 10,
      streamConcurrency: 8,
      nonStreamTokens: 10,
      nonStreamConcurrency: 16,
      seconds: 4,
      rounds: 3,
      warmup: 100,
    },
    throughput: { longTokens: 20_000, parallel: 50, parallelTokens: 2_000, repeats: 3 },
    nonStreaming: { concurrency: 50, seconds: 5, tokens: 50 },
    burst: { count: 1_000, seconds: 1, tokens: 50, gapMs: 100 },
    openStreams: { count: 5_000, tokens: 120, gapMs: 100, window: 250, maxWaitMs: 5000 },
    coalescing: { tokens: 400, gapMs: 2, bufferTokens: [1, 5, 20] },
  },
  quick: {
    ttft: {
      tokens: 8,
      warmup: 50,
      sequential: 150,
      rates: [100, 300, 1000],
      rateSeconds: 2,
      sustain: { ladder: [500, 1000, 2000, 3000, 4000, 6000], stepSeconds: 1, p99Ms: 50 },
    },
    cpuPerRequest: {
      streamTokens: 10,
      streamConcurrency: 8,
      nonStreamTokens: 10,
      nonStreamConcurrency: 16,
      seconds: 1.5,
      rounds: 3,
      warmup: 50,
    },
    throughput: { longTokens: 5_000, parallel: 50, parallelTokens: 500, repeats: 1 },
    nonStreaming: { concurrency: 50, seconds: 2, tokens: 50 },
    // The burst keeps its full shape: its figure is about 1,000 streams in one second, not fewer.
    burst: { count: 1_000, seconds: 1, tokens: 50, gapMs: 100 },
    openStreams: { count: 1_000, tokens: 50, gapMs: 100, window: 250, maxWaitMs: 5000 },
    coalescing: { tokens: 200, gapMs: 2, bufferTokens: [1, 5, 20] },
  },
  // For the harness's own test: every scenario runs, in a few seconds, with no claim about the figures.
  tiny: {
    ttft: {
      tokens: 4,
      warmup: 5,
      sequential: 10,
      rates: [50, 100],
      rateSeconds: 0.3,
      sustain: { ladder: [100, 200], stepSeconds: 0.3, p99Ms: 50 },
    },
    cpuPerRequest: {
      streamTokens: 10,
      streamConcurrency: 4,
      nonStreamTokens: 10,
      nonStreamConcurrency: 4,
      seconds: 0.2,
      rounds: 1,
      warmup: 3,
    },
    throughput: { longTokens: 300, parallel: 5, parallelTokens: 50, repeats: 1 },
    nonStreaming: { concurrency: 5, seconds: 0.3, tokens: 10 },
    burst: { count: 20, seconds: 0.2, tokens: 3, gapMs: 20 },
    openStreams: { count: 20, tokens: 5, gapMs: 20, window: 10, maxWaitMs: 1000 },
    coalescing: { tokens: 40, gapMs: 1, bufferTokens: [1, 5, 20] },
  },
};

export const SCENARIOS = [
  'ttft',
  'cpuPerRequest',
  'throughput',
  'nonStreaming',
  'burst',
  'openStreams',
  'coalescing',
];

/**
 * Environment knobs, each overriding one profile value (documented in bench/README.md).
 * @type {Array<[string, string, (text: string) => number | number[]]>}
 */
const ENV_KNOBS = [
  ['BENCH_SEQUENTIAL', 'ttft.sequential', Number],
  ['BENCH_RATES', 'ttft.rates', (text) => text.split(',').map(Number)],
  ['BENCH_RATE_SECONDS', 'ttft.rateSeconds', Number],
  ['BENCH_SUSTAIN_LADDER', 'ttft.sustain.ladder', (text) => text.split(',').map(Number)],
  ['BENCH_SUSTAIN_P99_MS', 'ttft.sustain.p99Ms', Number],
  ['BENCH_CPU_SECONDS', 'cpuPerRequest.seconds', Number],
  ['BENCH_CPU_ROUNDS', 'cpuPerRequest.rounds', Number],
  ['BENCH_LONG_TOKENS', 'throughput.longTokens', Number],
  ['BENCH_PARALLEL', 'throughput.parallel', Number],
  ['BENCH_PARALLEL_TOKENS', 'throughput.parallelTokens', Number],
  ['BENCH_REPEATS', 'throughput.repeats', Number],
  ['BENCH_CONCURRENCY', 'nonStreaming.concurrency', Number],
  ['BENCH_NONSTREAM_SECONDS', 'nonStreaming.seconds', Number],
  ['BENCH_BURST_STREAMS', 'burst.count', Number],
  ['BENCH_BURST_SECONDS', 'burst.seconds', Number],
  ['BENCH_BURST_TOKENS', 'burst.tokens', Number],
  ['BENCH_BURST_GAP_MS', 'burst.gapMs', Number],
  ['BENCH_STREAMS', 'openStreams.count', Number],
  ['BENCH_STREAM_TOKENS', 'openStreams.tokens', Number],
  ['BENCH_STREAM_GAP_MS', 'openStreams.gapMs', Number],
  ['BENCH_COALESCE_TOKENS', 'coalescing.tokens', Number],
];

/**
 * @param {{ profile?: 'full'|'quick'|'tiny', only?: string[], env?: Record<string,string|undefined>, overrides?: object }} options
 */
export function resolveSettings({ profile = 'full', only, env = process.env, overrides = {} } = {}) {
  const base = PROFILES[profile];
  if (!base) throw new Error(`unknown profile '${profile}' (full, quick or tiny)`);
  const settings = structuredClone(base);
  const applied = {};
  for (const [name, path, parse] of ENV_KNOBS) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const value = parse(text);
    if ((Array.isArray(value) ? value : [value]).some((item) => !Number.isFinite(item) || item <= 0)) {
      throw new Error(`${name}=${text}: expected positive number(s)`);
    }
    setPath(settings, path, value);
    applied[name] = text;
  }
  deepMerge(settings, overrides);
  if (env.BENCH_MODES) {
    settings.throughput.modes = env.BENCH_MODES.split(',').map((mode) => mode.trim());
    applied.BENCH_MODES = env.BENCH_MODES;
  }
  const selected = only?.length ? only : SCENARIOS;
  for (const name of selected) {
    if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario '${name}' (${SCENARIOS.join(', ')})`);
  }
  return { profile, scenarios: selected, env: applied, ...settings };
}

function setPath(target, path, value) {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key];
  node[keys.at(-1)] = value;
}

function deepMerge(target, source) {
  for (const [key, value] of Object.entries(source)) {
    if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      typeof target[key] === 'object'
    ) {
      deepMerge(target[key], value);
    } else {
      target[key] = value;
    }
  }
}
