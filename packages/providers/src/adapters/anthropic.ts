/** `type: anthropic`: Anthropic's Messages API (https://api.anthropic.com/v1/messages). */
import { anthropicMessages } from '../dialects/anthropic-messages/index.ts';
import type { Provider, ProviderInit } from '../provider.ts';
import { createHttpProvider } from './http-provider.ts';
import { missingKeyError } from './missing-key-error.ts';
import { providerSecrets } from './provider-secrets.ts';

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
/** Sent as `anthropic-version`; override with `headers: { anthropic-version: ... }`. */
export const ANTHROPIC_VERSION = '2023-06-01';

export function createAnthropicProvider({ name, config }: ProviderInit): Provider {
  const key = typeof config.api_key === 'string' && config.api_key !== '' ? config.api_key : undefined;
  const hasAuthHeader = Object.keys(config.headers ?? {}).some((h) => /^(x-api-key|authorization)$/i.test(h));
  return createHttpProvider({
    name,
    type: 'anthropic',
    dialect: anthropicMessages,
    baseUrl: config.base_url ?? ANTHROPIC_BASE_URL,
    config,
    headers: { 'anthropic-version': ANTHROPIC_VERSION, ...(key && { 'x-api-key': key }) },
    secrets: providerSecrets(config),
    ...(!key && !hasAuthHeader && { configError: missingKeyError(name, 'anthropic', 'ANTHROPIC_API_KEY') }),
  });
}
