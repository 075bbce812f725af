/** Checks that what a provider factory returned implements the Provider interface. */
import type { Provider } from '@tokenpak/provider';
import { ProviderSetupError } from './provider-setup-error.ts';

export function checkProvider(value: unknown, provider: string, source: string): Provider {
  const problems: string[] = [];
  if (value === null || typeof value !== 'object') {
    problems.push(`it returned ${value === null ? 'null' : typeof value} instead of an object`);
  } else {
    const p = value as Record<string, unknown>;
    if (typeof p.name !== 'string') problems.push('`name` is not a string');
    if (typeof p.type !== 'string') problems.push('`type` is not a string');
    // The list of dialects is open (a package may bring its own): null, or any dialect's name.
    if (p.dialect !== null && (typeof p.dialect !== 'string' || p.dialect === '')) {
      problems.push('`dialect` is not null or a dialect name (a non-empty string)');
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
