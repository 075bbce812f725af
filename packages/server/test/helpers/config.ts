import { parseConfig, type TokenPakConfig } from '@tokenpak/config';

/** Builds a validated config from YAML, failing the test with the config's own messages. */
export function configFrom(yaml: string, env: Record<string, string> = {}): TokenPakConfig {
  const result = parseConfig(yaml, { env, filename: 'test.yaml' });
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return result.config;
}

/**
 * The recipe's config, with both providers pointed at a fake upstream. Retries are off (`max_retries: 0`), so
 * that each test sees one upstream attempt per request, and so are resumable streams (a disconnect cancels the
 * upstream at once; the fast path's bytes carry no `id:` lines): the reliability and resume tests turn them on.
 */
export function recipeConfig(upstreamUrl: string, extra = ''): TokenPakConfig {
  return configFrom(
    `
streaming:
  enabled: true
  resume: { enabled: false }
  formats: [sse, chunked]
  buffer_tokens: 5
  flush_interval_ms: 500
  max_concurrent_streams: 100
providers:
  openai:
    type: openai
    api_key: \${OPENAI_API_KEY}
    base_url: ${upstreamUrl}/v1
    supports_streaming: true
    max_retries: 0
  anthropic:
    type: anthropic
    api_key: \${ANTHROPIC_API_KEY}
    base_url: ${upstreamUrl}
    supports_streaming: true
    max_retries: 0
models:
  gpt-4: { provider: openai }
  gpt-4-streaming: { provider: openai, stream: true }
  claude-opus: { provider: anthropic }
  claude-opus-streaming: { provider: anthropic, stream: true }
${extra}`,
    { OPENAI_API_KEY: 'sk-test-openai-SECRET', ANTHROPIC_API_KEY: 'sk-ant-test-SECRET' },
  );
}
