import { describe, expect, test } from 'vitest';
import { defaultConfig, parseConfig, type TokenPakConfig } from '../src/index.ts';

function valid(yaml: string, env: Record<string, string> = {}): TokenPakConfig {
  const result = parseConfig(yaml, { env });
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return result.config;
}

const minimal = valid('providers:\n  m: { type: mock }\nmodels:\n  a: { provider: m }\n');

describe('defaults come from the schema', () => {
  test.each([
    ['server.host', minimal.server.host, '127.0.0.1'],
    ['server.port', minimal.server.port, 8000],
    ['server.api_keys', minimal.server.api_keys, undefined],
    ['server.max_body_bytes', minimal.server.max_body_bytes, 10 * 1024 * 1024],
    ['server.default_max_tokens', minimal.server.default_max_tokens, 4096],
    ['server.shutdown_grace_ms', minimal.server.shutdown_grace_ms, 10000],
    ['server.cors (off)', minimal.server.cors, false],
    ['server.workers', minimal.server.workers, 1],
    ['streaming.enabled', minimal.streaming.enabled, true],
    ['streaming.formats', minimal.streaming.formats, ['sse', 'chunked']],
    ['streaming.buffer_tokens', minimal.streaming.buffer_tokens, 1],
    ['streaming.flush_interval_ms', minimal.streaming.flush_interval_ms, 50],
    ['streaming.max_concurrent_streams', minimal.streaming.max_concurrent_streams, 1000],
    ['streaming.heartbeat_ms', minimal.streaming.heartbeat_ms, 15000],
    ['providers.m.supports_streaming', minimal.providers.m!.supports_streaming, true],
    ['providers.m.timeout_ms', minimal.providers.m!.timeout_ms, 60000],
    ['providers.m.connect_timeout_ms', minimal.providers.m!.connect_timeout_ms, 10000],
    ['providers.m.idle_timeout_ms', minimal.providers.m!.idle_timeout_ms, 60000],
    ['providers.m.headers', minimal.providers.m!.headers, {}],
    ['providers.m.api_key', minimal.providers.m!.api_key, undefined],
    ['providers.m.base_url', minimal.providers.m!.base_url, undefined],
    ['models.a.model (the alias)', minimal.models.a!.model, 'a'],
    ['models.a.stream (follows the client)', minimal.models.a!.stream, undefined],
    ['models.a.buffer_tokens (inherits)', minimal.models.a!.buffer_tokens, undefined],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toEqual(expected);
  });

  test('written values win over defaults, and extra provider keys are kept', () => {
    const config = valid(
      [
        'server: { host: 0.0.0.0, port: 0, api_keys: [k1], cors: [https://app.example.com], workers: auto }',
        'streaming: { formats: [sse], buffer_tokens: 3 }',
        'providers:',
        '  m: { type: mock, latency_ms: 5, responses: [hi], supports_streaming: false }',
        'models:',
        '  a: { provider: m, model: up, stream: false, flush_interval_ms: 10, max_tokens: 99 }',
      ].join('\n'),
    );
    expect(config.server).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      api_keys: ['k1'],
      cors: ['https://app.example.com'],
      workers: 'auto',
    });
    expect(config.streaming).toMatchObject({ formats: ['sse'], buffer_tokens: 3, flush_interval_ms: 50 });
    expect(config.providers.m).toMatchObject({ latency_ms: 5, responses: ['hi'], supports_streaming: false });
    expect(config.models.a).toEqual({
      provider: 'm',
      model: 'up',
      stream: false,
      flush_interval_ms: 10,
      max_tokens: 99,
    });
  });

  test('each provider type with what it needs is accepted', () => {
    const config = valid(
      [
        'providers:',
        '  o: { type: openai, api_key: a }',
        '  a: { type: anthropic, api_key: b, base_url: "http://127.0.0.1:9/v1" }',
        '  l: { type: openai-compatible, base_url: "http://localhost:11434/v1" }',
        '  m: { type: mock }',
        '  c: { type: custom, package: "@acme/tokenpak-provider", region: eu }',
        'models: { x: { provider: o }, y: { provider: a }, z: { provider: l }, w: { provider: m }, v: { provider: c } }',
      ].join('\n'),
    );
    expect(Object.values(config.providers).map((p) => p.type)).toEqual([
      'openai',
      'anthropic',
      'openai-compatible',
      'mock',
      'custom',
    ]);
    expect(config.providers.c).toMatchObject({ package: '@acme/tokenpak-provider', region: 'eu' });
  });
});

describe('the config is frozen all the way down', () => {
  test('parseConfig', () => {
    expect(Object.isFrozen(minimal)).toBe(true);
    expect(Object.isFrozen(minimal.streaming.formats)).toBe(true);
    expect(Object.isFrozen(minimal.providers.m!.headers)).toBe(true);
    expect(() => {
      (minimal.streaming as { buffer_tokens: number }).buffer_tokens = 9;
    }).toThrow(TypeError);
    expect(minimal.streaming.buffer_tokens).toBe(1);
  });

  test('defaultConfig', () => {
    const { config } = defaultConfig({});
    expect(Object.isFrozen(config.models['gpt-4'])).toBe(true);
    expect(() => {
      (config.models as Record<string, unknown>).extra = {};
    }).toThrow(TypeError);
  });
});

describe('defaultConfig (no config file)', () => {
  test('without keys, every alias is served by the mock and the notes say so', () => {
    const { config, notes } = defaultConfig({});
    expect(Object.keys(config.providers)).toEqual(['mock']);
    expect(config.providers.mock).toMatchObject({
      type: 'mock',
      supports_streaming: true,
      latency_ms: 150,
      tokens_per_second: 50,
    });
    expect(config.models).toEqual({
      mock: { provider: 'mock', model: 'mock' },
      'mock-streaming': { provider: 'mock', model: 'mock-streaming', stream: true },
      'gpt-4': { provider: 'mock', model: 'gpt-4' },
      'gpt-4-streaming': { provider: 'mock', model: 'gpt-4-streaming', stream: true },
      'claude-opus': { provider: 'mock', model: 'claude-opus' },
      'claude-opus-streaming': { provider: 'mock', model: 'claude-opus-streaming', stream: true },
    });
    expect(notes).toEqual([
      'OPENAI_API_KEY is not set: gpt-4 and gpt-4-streaming are served by the mock provider',
      'ANTHROPIC_API_KEY is not set: claude-opus and claude-opus-streaming are served by the mock provider',
      'the mock answers at a model-like pace: first token after 150 ms, then 50 tokens/s',
    ]);
    expect(config.streaming).toMatchObject({ enabled: true, formats: ['sse', 'chunked'], buffer_tokens: 1 });
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 8000 });
  });

  test('with OPENAI_API_KEY, the gpt-4 aliases go to OpenAI; claude stays on the mock', () => {
    const { config, notes } = defaultConfig({ OPENAI_API_KEY: 'sk-x', ANTHROPIC_API_KEY: '' });
    expect(config.providers.openai).toMatchObject({ type: 'openai', api_key: 'sk-x', timeout_ms: 60000 });
    expect(config.providers.anthropic).toBeUndefined();
    expect(config.models['gpt-4']).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
    expect(config.models['gpt-4-streaming']).toEqual({
      provider: 'openai',
      model: 'gpt-4o-mini',
      stream: true,
    });
    expect(config.models['claude-opus']).toEqual({ provider: 'mock', model: 'claude-opus' });
    expect(notes[0]).toBe('OPENAI_API_KEY is set: gpt-4 and gpt-4-streaming use OpenAI (gpt-4o-mini)');
    expect(notes.join('\n')).not.toContain('sk-x');
  });

  test('with ANTHROPIC_API_KEY, the claude aliases go to Anthropic', () => {
    const { config } = defaultConfig({ ANTHROPIC_API_KEY: 'sk-ant' });
    expect(config.providers.anthropic).toMatchObject({ type: 'anthropic', api_key: 'sk-ant' });
    expect(config.models['claude-opus-streaming']).toEqual({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      stream: true,
    });
    expect(config.models['gpt-4']!.provider).toBe('mock');
  });
});

describe('YAML conveniences', () => {
  test('anchors and merge keys (<<) share settings between entries', () => {
    const config = valid(
      [
        'providers:',
        '  base: &base { type: mock, timeout_ms: 1234 }',
        '  other: { <<: *base, latency_ms: 3 }',
        'models:',
        '  a: { provider: base }',
        '  b: { provider: other }',
      ].join('\n'),
    );
    expect(config.providers.other).toMatchObject({ type: 'mock', timeout_ms: 1234, latency_ms: 3 });
  });

  test('CRLF line endings keep positions and excerpts clean', () => {
    const result = parseConfig('providers:\r\n  p: { type: mock }\r\nmodels:\r\n  a: { provider: q }\r\n');
    if (result.ok) throw new Error('expected an error');
    expect(result.errors[0]).toMatchObject({ line: 4, column: 18 });
    expect(result.errors[0]!.excerpt).toBe('  a: { provider: q }\n                 ^');
  });
});
