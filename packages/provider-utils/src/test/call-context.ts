/** Canonical requests and call contexts for tests. */
import type { CallContext, CanonicalRequest, ProviderConfigEntry } from '@tokenpak/provider';

export function userRequest(text: string, extra: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return {
    model: 'alias',
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
    stream: true,
    sourceDialect: 'openai-chat',
    passthrough: {},
    ...extra,
  };
}

export function callContext(extra: Partial<CallContext> = {}): CallContext {
  return { model: 'upstream-model', signal: new AbortController().signal, defaultMaxTokens: 1024, ...extra };
}

export function providerEntry(extra: Partial<ProviderConfigEntry> & { type: string }): ProviderConfigEntry {
  return {
    supports_streaming: true,
    timeout_ms: 10_000,
    connect_timeout_ms: 5_000,
    idle_timeout_ms: 10_000,
    headers: {},
    ...extra,
  };
}

export async function readAll<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream as unknown as AsyncIterable<T>) out.push(item);
  return out;
}
