/** `type: azure` options: validation (errors name `providers.<name>.<key>`), and the two URL forms. */
import type { ProviderConfigEntry } from '@tokenpak/provider';
import { providerEntry } from '@tokenpak/provider-utils/test';
import { describe, expect, test } from 'vitest';
import { readAzureOptions } from '../../src/azure-provider.ts';
import { azureChatCompletionsPath, parseAzureEndpoint } from '../../src/azure-url.ts';
import { createAzureOpenAIProvider } from '../../src/index.ts';

const RESOURCE = 'https://my-resource.openai.azure.com';

function create(options: Partial<ProviderConfigEntry>) {
  return createAzureOpenAIProvider({ name: 'az', config: providerEntry({ type: 'azure', ...options }) });
}

describe('options', () => {
  test.each<[string, Partial<ProviderConfigEntry>, RegExp]>([
    ['no base_url', { api_key: 'k' }, /^providers\.az\.base_url is required for type azure/],
    ['an empty base_url', { base_url: '', api_key: 'k' }, /^providers\.az\.base_url is required/],
    [
      'a base_url that is no URL',
      { base_url: 'my-resource', api_key: 'k' },
      /^providers\.az\.base_url must be an absolute/,
    ],
    [
      'a non-http base_url',
      { base_url: 'ftp://x', api_key: 'k' },
      /^providers\.az\.base_url must use http or https/,
    ],
    [
      'a full classic request URL as base_url',
      {
        base_url: `${RESOURCE}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`,
        api_key: 'k',
      },
      /^providers\.az\.base_url must be the Azure resource endpoint .*set providers\.az\.deployment: gpt-4o and providers\.az\.api_version: 2024-10-21 instead/,
    ],
    [
      'an api-version in base_url',
      { base_url: `${RESOURCE}?api-version=2024-10-21`, api_key: 'k' },
      /set providers\.az\.api_version: 2024-10-21 instead/,
    ],
    [
      'a malformed api_version',
      { base_url: RESOURCE, api_key: 'k', api_version: '2024/10/21' },
      /^providers\.az\.api_version must be an Azure OpenAI api-version/,
    ],
    [
      'api_version v1',
      { base_url: RESOURCE, api_key: 'k', api_version: 'v1' },
      /^providers\.az\.api_version must be left out for the v1 API/,
    ],
    [
      'a numeric api_version',
      { base_url: RESOURCE, api_key: 'k', api_version: 2024 },
      /^providers\.az\.api_version must be a string/,
    ],
    [
      'a deployment with a slash',
      { base_url: RESOURCE, api_key: 'k', deployment: 'a/b' },
      /^providers\.az\.deployment must be a deployment name/,
    ],
    [
      'a non-string deployment',
      { base_url: RESOURCE, api_key: 'k', deployment: 4 },
      /^providers\.az\.deployment must be a string/,
    ],
    [
      'a non-string azure_ad_token',
      { base_url: RESOURCE, azure_ad_token: true },
      /^providers\.az\.azure_ad_token must be a string/,
    ],
    [
      'both api_key and azure_ad_token',
      { base_url: RESOURCE, api_key: 'k', azure_ad_token: 't' },
      /^providers\.az\.azure_ad_token cannot be used together with providers\.az\.api_key/,
    ],
    [
      'a token with its Bearer prefix',
      { base_url: RESOURCE, azure_ad_token: 'Bearer t' },
      /^providers\.az\.azure_ad_token must be the token alone/,
    ],
    [
      'apiVersion (misnamed)',
      { base_url: RESOURCE, api_key: 'k', apiVersion: '2024-10-21' },
      /^providers\.az\.apiVersion is not an option of type azure: did you mean api_version\?/,
    ],
    [
      'endpoint (misnamed)',
      { api_key: 'k', endpoint: RESOURCE },
      /^providers\.az\.endpoint is not an option of type azure: did you mean base_url\?/,
    ],
    [
      'deployment_name (misnamed)',
      { base_url: RESOURCE, api_key: 'k', deployment_name: 'd' },
      /did you mean deployment\?/,
    ],
  ])('%s', (_title, options, message) => {
    expect(() => create(options)).toThrow(message);
  });

  test('valid options, trimmed; empty strings (an unset env variable) count as not set', () => {
    const config = providerEntry({
      type: 'azure',
      base_url: ` ${RESOURCE}/ `,
      api_key: '',
      azure_ad_token: ' t ',
      api_version: '2025-04-01-preview',
      deployment: 'gpt-4o.mini_prod-1',
    });
    expect(readAzureOptions('az', config)).toEqual({
      baseUrl: `${RESOURCE}/`,
      apiVersion: '2025-04-01-preview',
      deployment: 'gpt-4o.mini_prod-1',
      adToken: 't',
    });
    expect(
      readAzureOptions('az', providerEntry({ type: 'azure', base_url: RESOURCE, api_version: '' })),
    ).toEqual({
      baseUrl: RESOURCE,
    });
  });

  test('the provider is an openai-chat provider of type azure', () => {
    const provider = create({ base_url: RESOURCE, api_key: 'k' });
    expect(provider).toMatchObject({
      name: 'az',
      type: 'azure',
      dialect: 'openai-chat',
      supportsStreaming: true,
    });
  });
});

describe('URL forms', () => {
  test.each([
    [RESOURCE, ''],
    [`${RESOURCE}/`, ''],
    [`${RESOURCE}/openai`, ''],
    [`${RESOURCE}/openai/v1/`, ''],
    [`${RESOURCE}/openai/v1/chat/completions`, ''],
    ['https://gateway.example.com/aoai/', '/aoai'],
  ])('%s', (baseUrl, prefix) => {
    const endpoint = parseAzureEndpoint(baseUrl, 'az');
    const origin = new URL(baseUrl).origin;
    expect(endpoint).toEqual({ origin, prefix, search: '', display: origin + prefix });
    expect(azureChatCompletionsPath(endpoint, 'gpt-4o', undefined)).toBe(
      `${prefix}/openai/v1/chat/completions`,
    );
    expect(azureChatCompletionsPath(endpoint, 'gpt-4o', '2024-10-21')).toBe(
      `${prefix}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`,
    );
  });

  test('other query parameters of the base URL are kept', () => {
    const endpoint = parseAzureEndpoint('https://gw.example.com/x?subscription=abc', 'az');
    expect(azureChatCompletionsPath(endpoint, 'd', undefined)).toBe(
      '/x/openai/v1/chat/completions?subscription=abc',
    );
    expect(azureChatCompletionsPath(endpoint, 'd', '2024-10-21')).toBe(
      '/x/openai/deployments/d/chat/completions?subscription=abc&api-version=2024-10-21',
    );
  });

  test('a deployment from the alias model is URL-encoded', () => {
    const endpoint = parseAzureEndpoint(RESOURCE, 'az');
    expect(azureChatCompletionsPath(endpoint, 'a b?', '2024-10-21')).toBe(
      '/openai/deployments/a%20b%3F/chat/completions?api-version=2024-10-21',
    );
  });
});
