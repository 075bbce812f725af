/** The error every call of a provider without an API key fails with, before touching the network. */
import { ProviderError } from '@tokenpak/provider';

export function missingKeyError(provider: string, type: string, envHint: string): ProviderError {
  return new ProviderError({
    type: 'authentication',
    provider,
    code: 'missing_api_key',
    retryable: false,
    message: `provider ${provider} (type ${type}) has no api_key: set providers.${provider}.api_key, e.g. api_key: \${${envHint}}`,
  });
}
