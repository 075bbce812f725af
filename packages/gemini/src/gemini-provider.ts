/** `type: gemini`: the Gemini API (generateContent / streamGenerateContent), with the provider kit. */
import type { Provider, ProviderInit } from '@tokenpak/provider';
import {
  createHttpProvider,
  joinPath,
  missingKeyError,
  parseBaseUrl,
  providerSecrets,
} from '@tokenpak/provider-utils';
import { geminiDialect } from './dialect/gemini-dialect.ts';
import { API_VERSIONS, type GeminiApiVersion } from './options.ts';

export const GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com';

/**
 * The path of a model's calls, e.g. `/v1beta/models/gemini-2.5-flash`: a base URL path ending in an API
 * version (`/v1beta`, `/v1`, `/v1alpha`) is used as is, any other gets `/<apiVersion>`.
 */
export function modelsPath(basePath: string, apiVersion: GeminiApiVersion, model: string): string {
  const versioned = API_VERSIONS.some((v) => basePath.endsWith(`/${v}`));
  const root = versioned ? basePath : joinPath(basePath, apiVersion);
  return joinPath(root, `models/${encodeURIComponent(model)}`);
}

export function createGeminiProvider({ name, config }: ProviderInit): Provider {
  const key = typeof config.api_key === 'string' && config.api_key !== '' ? config.api_key : undefined;
  const hasAuthHeader = Object.keys(config.headers ?? {}).some((h) =>
    /^(x-goog-api-key|authorization)$/i.test(h),
  );
  const baseUrl = config.base_url ?? GEMINI_BASE_URL;
  const base = parseBaseUrl(baseUrl, name);
  const apiVersion = API_VERSIONS.includes(config.api_version as GeminiApiVersion)
    ? (config.api_version as GeminiApiVersion)
    : 'v1beta';
  return createHttpProvider({
    name,
    type: 'gemini',
    dialect: geminiDialect,
    baseUrl,
    // The model and the stream flag are in the URL; the key never is (x-goog-api-key).
    url: ({ model, stream }) => {
      const action = stream ? ':streamGenerateContent?alt=sse' : ':generateContent';
      const query = base.search ? (stream ? `&${base.search.slice(1)}` : base.search) : '';
      return modelsPath(base.path, apiVersion, model) + action + query;
    },
    config,
    headers: key ? { 'x-goog-api-key': key } : {},
    secrets: providerSecrets(config),
    ...(!key && !hasAuthHeader && { configError: missingKeyError(name, 'gemini', 'GEMINI_API_KEY') }),
  });
}
