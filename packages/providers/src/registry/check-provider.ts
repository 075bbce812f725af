/** Checks that what a provider factory returned implements the Provider interface. */
import type { Provider } from '@tokenpak/provider';
import { ProviderSetupError } from './provider-setup-error.ts';

const DIALECTS = new Set(['openai-chat', 'anthropic-messages']);

export function checkProvider(value: unknown, provider: string, source: string): Provider {
  const problems: string[] = [];
  if (value === null || typeof value !== 'object') {
    problems.push(`it returned ${value === null ? 'null' : typeof value} instead of an object`);
  } else {
    const p = value as Record<string, unknown>;
    if (typeof p.name !== 'string') problems.push('`name` is not a string');
    if (typeof p.type !== 'string') problems.push('`type` is not a string');
    if (p.dialect !== null && !DIALECTS.has(p.dialect as string)) {
      problems.push('`dialect` is not null, "openai-chat" or "anthropic-messages"');
    }
    if (typeof p.supportsStreaming !== 'boolean') problems.push('`supportsStreaming` is not a boolean');
    if (typeof p.stream !== 'function') problems.push('`stream()` is missing');
    if (typeof p.complete !== 'function') problems.push('`complete()` is missing');
    for (const optional of ['streamRaw', 'countTokens', 'health', 'close']) {
      if (p[optional] !== undefined && typeof p[optional] !== 'function')
        problems.push(`\`${optional}\` is not a function`);
    }
  }
  if (problems.length > 0) {
    throw new ProviderSetupError(
      provider,
      `${source} returned an invalid provider for providers.${provider}: ${problems.join('; ')}`,
    );
  }
  return value as Provider;
}
