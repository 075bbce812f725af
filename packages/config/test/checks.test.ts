import { describe, expect, test } from 'vitest';
import { BUFFER_TOKENS_WARN_ABOVE, type ConfigIssue, parseConfig } from '../src/index.ts';

const BASE = 'providers:\n  p: { type: mock }\nmodels:\n  m: { provider: p }\n';

function check(yaml: string): { warnings: ConfigIssue[]; notes: ConfigIssue[] } {
  const result = parseConfig(yaml, { filename: 'c.yaml', env: {} });
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return { warnings: result.warnings, notes: result.notes };
}

const brief = (issues: ConfigIssue[]) => issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);

describe('warnings and notes (the config stays valid)', () => {
  test('a clean config has none', () => {
    expect(check(BASE)).toEqual({ warnings: [], notes: [] });
  });

  test('pitfall 1: buffer_tokens above the limit warns and says why', () => {
    const { warnings } = check(`streaming:\n  buffer_tokens: 1000\n${BASE}`);
    expect(brief(warnings)).toEqual([
      '2:18 streaming.buffer_tokens: is 1000: clients wait for 1000 tokens before they see anything, which hurts perceived latency; 5-10 is a good balance',
    ]);
    expect(check(`streaming:\n  buffer_tokens: ${BUFFER_TOKENS_WARN_ABOVE}\n${BASE}`).warnings).toEqual([]);
  });

  test('pitfalls 5/6: a long flush interval warns', () => {
    const { warnings } = check(`streaming:\n  flush_interval_ms: 5000\n${BASE}`);
    expect(brief(warnings)).toEqual([
      '2:22 streaming.flush_interval_ms: is 5000: a buffered token can wait 5000 ms before it is sent, and time to first token grows with it; keep it at 1000 or below',
    ]);
  });

  test('flush_interval_ms: 0 with buffer_tokens > 1 warns that slow tokens wait', () => {
    const { warnings } = check(`streaming:\n  buffer_tokens: 8\n  flush_interval_ms: 0\n${BASE}`);
    expect(brief(warnings)).toEqual([
      '3:22 streaming.flush_interval_ms: flush_interval_ms is 0 (no timer) with buffer_tokens 8: when tokens arrive slowly, up to 7 of them wait for the next ones or the end of the stream; set a flush interval (e.g. 50)',
    ]);
    expect(check(`streaming:\n  buffer_tokens: 1\n  flush_interval_ms: 0\n${BASE}`).warnings).toEqual([]);
  });

  test('per-model overrides get the same checks, at the override', () => {
    const yaml = [
      'streaming: { flush_interval_ms: 0 }',
      'providers: { p: { type: mock } }',
      'models:',
      '  slow:',
      '    provider: p',
      '    buffer_tokens: 50',
      '    flush_interval_ms: 2000',
      '  batchy: { provider: p, buffer_tokens: 4 }',
    ].join('\n');
    expect(brief(check(yaml).warnings)).toEqual([
      '6:20 models.slow.buffer_tokens: is 50: clients wait for 50 tokens before they see anything, which hurts perceived latency; 5-10 is a good balance',
      '7:24 models.slow.flush_interval_ms: is 2000: a buffered token can wait 2000 ms before it is sent, and time to first token grows with it; keep it at 1000 or below',
      '8:41 models.batchy.buffer_tokens: flush_interval_ms is 0 (no timer) with buffer_tokens 4: when tokens arrive slowly, up to 3 of them wait for the next ones or the end of the stream; set a flush interval (e.g. 50)',
    ]);
  });

  test('formats while streaming is disabled warns', () => {
    const { warnings } = check(`streaming:\n  enabled: false\n  formats: [sse]\n${BASE}`);
    expect(brief(warnings)).toEqual([
      '3:12 streaming.formats: is ignored because streaming.enabled is false',
    ]);
    expect(check(`streaming:\n  enabled: false\n${BASE}`).warnings).toEqual([]);
  });

  test('stream: true on a provider without streaming is served as a simulated stream (a note)', () => {
    const yaml =
      'providers:\n  p: { type: mock, supports_streaming: false }\nmodels:\n  s: { provider: p, stream: true }\n  n: { provider: p }\n';
    const { warnings, notes } = check(yaml);
    expect(warnings).toEqual([]);
    expect(brief(notes)).toEqual([
      "4:29 models.s.stream: provider 'p' has supports_streaming: false, so 's' will be served as a simulated stream (the whole response is fetched, then streamed)",
    ]);
    expect(notes[0]!.severity).toBe('info');
  });

  test('no models warns; an unused provider is a note', () => {
    expect(brief(check('providers:\n  p: { type: mock }\n').warnings)).toEqual([
      '1:1 models: no models are defined: every request will be refused',
    ]);
    const { notes } = check(
      'providers:\n  p: { type: mock }\n  q: { type: mock }\nmodels:\n  m: { provider: p }\n',
    );
    expect(brief(notes)).toEqual(["3:3 providers.q: provider 'q' is not used by any model"]);
  });

  test('an API key written in the file warns; one from ${ENV} does not', () => {
    const literal = 'providers:\n  o: { type: openai, api_key: sk-live }\nmodels: { m: { provider: o } }\n';
    expect(brief(check(literal).warnings)).toEqual([
      '2:31 providers.o.api_key: is written in the file: prefer ${ENV_VAR} so the key stays out of version control',
    ]);
    const fromEnv = 'providers:\n  o: { type: openai, api_key: "${K:-x}" }\nmodels: { m: { provider: o } }\n';
    expect(check(fromEnv).warnings).toEqual([]);
  });

  test('listening beyond loopback without api_keys warns', () => {
    expect(brief(check(`server: { host: 0.0.0.0 }\n${BASE}`).warnings)).toEqual([
      '1:17 server.host: listens on 0.0.0.0 without server.api_keys: anyone who can reach it can spend your provider keys',
    ]);
    expect(check(`server: { host: 0.0.0.0, api_keys: [k] }\n${BASE}`).warnings).toEqual([]);
  });

  test('an alias on openai/anthropic without model: is a note (it is sent upstream as the model id)', () => {
    const yaml = [
      'providers:',
      '  o: { type: openai, api_key: "${K:-x}" }',
      '  a: { type: anthropic, api_key: "${K:-x}" }',
      '  local: { type: openai-compatible, base_url: "http://127.0.0.1:11434/v1" }',
      '  m: { type: mock }',
      'models:',
      '  gpt-4o: { provider: o }',
      '  fast: { provider: o, model: gpt-4o-mini }',
      '  sonnet:',
      '    provider: a',
      '  llama: { provider: local }',
      '  demo: { provider: m }',
      '',
    ].join('\n');
    const result = parseConfig(yaml, { filename: 'c.yaml', env: {} });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([]);
    expect(brief(result.notes)).toEqual([
      "7:3 models.gpt-4o: no model: given, so the upstream model id is 'gpt-4o'; add model: <id> if OpenAI does not know that name",
      "9:3 models.sonnet: no model: given, so the upstream model id is 'sonnet'; add model: <id> if Anthropic does not know that name",
    ]);
    expect(result.notes.map((n) => n.severity)).toEqual(['info', 'info']);
  });

  test('an alias ending in -streaming or -stream sent upstream as the model id warns (it cannot exist there)', () => {
    const yaml = [
      'providers: { o: { type: openai, api_key: "${K:-x}" } }',
      'models:',
      '  gpt-4-streaming: { provider: o, stream: true }',
      '  gpt-4o-stream: { provider: o }',
      '  ok-streaming: { provider: o, model: gpt-4o, stream: true }',
      '',
    ].join('\n');
    const result = parseConfig(yaml, { filename: 'c.yaml', env: {} });
    expect(result.ok).toBe(true);
    expect(result.notes).toEqual([]);
    expect(brief(result.warnings)).toEqual([
      "3:3 models.gpt-4-streaming: no model: given, so the upstream model id is 'gpt-4-streaming', which OpenAI does not know (-streaming is part of the alias, not of a model id): add model: <id>",
      "4:3 models.gpt-4o-stream: no model: given, so the upstream model id is 'gpt-4o-stream', which OpenAI does not know (-stream is part of the alias, not of a model id): add model: <id>",
    ]);
  });

  test('a fallback listed twice, and a first retry delay above the longest one, warn', () => {
    const { warnings } = check(
      'providers:\n  p: { type: mock, retry_base_ms: 5000, retry_max_ms: 100 }\n' +
        'models:\n  m: { provider: p, fallbacks: [n, n] }\n  n: { provider: p }\n',
    );
    expect(brief(warnings)).toEqual([
      '2:35 providers.p.retry_base_ms: is more than retry_max_ms (100): no retry waits longer than retry_max_ms',
      "4:36 models.m.fallbacks[1]: 'n' is already listed (fallbacks[0]): it is tried once",
    ]);
  });

  test('YAML warnings keep their position', () => {
    const { warnings } = check(`%FOO bar\n---\n${BASE}`);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ severity: 'warning', line: 1, column: 1 });
    expect(warnings[0]!.message).toMatch(/^YAML syntax: /);
  });
});
