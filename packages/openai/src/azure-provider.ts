/**
 * `type: azure`: Azure OpenAI's Chat Completions API, in either URL form (see azure-url.ts): the v1 form by
 * default, the classic `/openai/deployments/{deployment}/...?api-version=` form when `api_version` is set.
 * The deployment is `deployment` when set, else the call's upstream model id (the alias's `model`).
 * Auth: `api_key` as the `api-key` header, or `azure_ad_token` (a Microsoft Entra ID token) as
 * `Authorization: Bearer`. The wire is openai-chat; its decoder already reads Azure's stream quirks (frames
 * with empty `choices` carrying prompt-filter annotations, `finish_reason: content_filter`).
 *
 * Azure's 404 answers say little (`DeploymentNotFound`, or a bare `Resource not found` for an api-version it
 * does not serve): they are turned into errors naming the deployment / api-version and the setting behind it.
 */

import type { Provider, ProviderConfigEntry, ProviderInit } from '@tokenpak/provider';
import { COMMON_PROVIDER_KEYS, ProviderError } from '@tokenpak/provider';
import {
  createHttpProvider,
  type HttpCall,
  providerSecrets,
  unknownOptionMessage,
} from '@tokenpak/provider-utils';
import { AZURE_OPTIONS, azureOptionProblems, misnamedAzureOption, optionalString } from './azure-options.ts';
import { type AzureEndpoint, azureChatCompletionsPath, parseAzureEndpoint } from './azure-url.ts';
import { openaiChat } from './chat/index.ts';
import { forceStreamUsage, preferMaxCompletionTokens } from './openai-quirks.ts';

/** The options of `type: azure`, validated. */
export interface AzureOptions {
  /** The resource endpoint, `https://{resource}.openai.azure.com`. */
  baseUrl: string;
  /** Set: the classic URL form with this `api-version`. Unset: the v1 form. */
  apiVersion?: string;
  /** Set: every call goes to this deployment. Unset: the call's upstream model id is the deployment name. */
  deployment?: string;
  apiKey?: string;
  adToken?: string;
}

/** The first api-version (2024-09-01-preview) that knows `max_completion_tokens`. */
const MAX_COMPLETION_TOKENS_SINCE = '2024-09-01';

/**
 * Validates the options of one `type: azure` entry, common keys included; every error names
 * `providers.<name>.<key>`. The registry has already run `azureOptionsSchema` on it: this is for direct calls.
 */
export function readAzureOptions(name: string, config: ProviderConfigEntry): AzureOptions {
  const fail = (key: string, message: string): never => {
    throw new Error(`providers.${name}.${key} ${message}`);
  };
  for (const key of Object.keys(config)) {
    if (COMMON_PROVIDER_KEYS.includes(key) || (AZURE_OPTIONS as readonly string[]).includes(key)) continue;
    if (config[key] === undefined) continue;
    fail(key, misnamedAzureOption(key) ?? unknownOptionMessage(key, AZURE_OPTIONS, 'azure'));
  }
  const baseUrl = optionalString(config.base_url);
  if (baseUrl.problem) fail('base_url', baseUrl.problem);
  if (baseUrl.value === undefined) {
    fail(
      'base_url',
      'is required for type azure: the resource endpoint, e.g. https://my-resource.openai.azure.com',
    );
  }
  const [problem] = azureOptionProblems(config);
  if (problem) fail(problem.key, problem.message);
  const apiVersion = optionalString(config.api_version).value;
  const deployment = optionalString(config.deployment).value;
  const apiKey = optionalString(config.api_key);
  if (apiKey.problem) fail('api_key', apiKey.problem);
  const adToken = optionalString(config.azure_ad_token).value;
  if (apiKey.value !== undefined && adToken !== undefined) {
    fail('azure_ad_token', `cannot be used together with providers.${name}.api_key: set one of them`);
  }
  return {
    baseUrl: baseUrl.value as string,
    ...(apiVersion !== undefined && { apiVersion }),
    ...(deployment !== undefined && { deployment }),
    ...(apiKey.value !== undefined && { apiKey: apiKey.value }),
    ...(adToken !== undefined && { adToken }),
  };
}

function hasHeader(config: ProviderConfigEntry, ...names: string[]): boolean {
  return Object.keys(config.headers ?? {}).some((h) => names.includes(h.toLowerCase()));
}

function missingCredentialsError(name: string): ProviderError {
  return new ProviderError({
    type: 'authentication',
    provider: name,
    code: 'missing_api_key',
    retryable: false,
    message:
      `provider ${name} (type azure) has no credentials: set providers.${name}.api_key ` +
      `(e.g. api_key: \${AZURE_OPENAI_API_KEY}) or providers.${name}.azure_ad_token (e.g. azure_ad_token: \${AZURE_OPENAI_AD_TOKEN})`,
  });
}

/** Where the deployment name of a call comes from, for messages. */
function deploymentSource(name: string, options: AzureOptions): string {
  return options.deployment !== undefined
    ? `providers.${name}.deployment`
    : `the alias's model, used as the deployment name; set providers.${name}.deployment to override`;
}

/**
 * Azure's unhelpful 404s (and a 400 about the api-version) → an error naming the deployment or the
 * api-version of this call and the setting it came from. Other errors are returned unchanged.
 */
export function explainAzureError(
  error: unknown,
  name: string,
  options: AzureOptions,
  endpoint: AzureEndpoint,
  deployment: string,
): unknown {
  if (!(error instanceof ProviderError)) return error;
  const upstream = error.message;
  const code = error.code?.toLowerCase();
  if (code === 'deploymentnotfound') {
    return error.with({
      type: 'not_found',
      status: 404,
      retryable: false,
      message: `Azure deployment '${deployment}' not found on ${endpoint.display} (${deploymentSource(name, options)}): ${upstream}`,
    });
  }
  const mentionsVersion = /api[-_ ]?version/i.test(`${error.code ?? ''} ${upstream}`);
  if (options.apiVersion !== undefined) {
    if (error.status === 404 && (code === '404' || /resource not found/i.test(upstream))) {
      return error.with({
        type: 'not_found',
        retryable: false,
        message:
          `Azure answered 404 for api-version '${options.apiVersion}' on ${endpoint.display}: the api-version is not ` +
          `served there (providers.${name}.api_version), or the endpoint is wrong (providers.${name}.base_url): ${upstream}`,
      });
    }
    if (error.status === 400 && mentionsVersion) {
      return error.with({
        type: 'invalid_request',
        retryable: false,
        message: `Azure rejected api-version '${options.apiVersion}' (providers.${name}.api_version) on ${endpoint.display}: ${upstream}`,
      });
    }
    return error;
  }
  if (error.status === 404 && (code === '404' || /resource not found/i.test(upstream))) {
    return error.with({
      type: 'not_found',
      retryable: false,
      message:
        `Azure answered 404 for the v1 API (/openai/v1/chat/completions) on ${endpoint.display}: check the resource ` +
        `endpoint (providers.${name}.base_url), or set providers.${name}.api_version to use the classic URL form: ${upstream}`,
    });
  }
  if (error.status === 400 && mentionsVersion) {
    return error.with({
      type: 'invalid_request',
      retryable: false,
      message:
        `Azure answered 400 about the api-version for the v1 API (/openai/v1/chat/completions) on ${endpoint.display}: ` +
        `this resource may not serve the v1 API; set providers.${name}.api_version to use the classic URL form: ${upstream}`,
    });
  }
  return error;
}

export function createAzureOpenAIProvider({ name, config }: ProviderInit): Provider {
  const options = readAzureOptions(name, config);
  const endpoint = parseAzureEndpoint(options.baseUrl, name);
  const { apiVersion } = options;
  const deploymentOf = (model: string) => options.deployment ?? model;
  const completionTokens = apiVersion === undefined || apiVersion >= MAX_COMPLETION_TOKENS_SINCE;
  const headers: Record<string, string> = {};
  if (options.apiKey !== undefined) headers['api-key'] = options.apiKey;
  if (options.adToken !== undefined) headers.authorization = `Bearer ${options.adToken}`;
  const credentials =
    options.apiKey !== undefined ||
    options.adToken !== undefined ||
    hasHeader(config, 'api-key', 'authorization');
  const secrets = providerSecrets(config);
  if (options.apiKey !== undefined && !secrets.includes(options.apiKey)) secrets.push(options.apiKey);
  if (options.adToken !== undefined) secrets.push(options.adToken);

  return createHttpProvider({
    name,
    type: 'azure',
    dialect: openaiChat,
    baseUrl: endpoint.display + endpoint.search,
    url: (call: HttpCall) => azureChatCompletionsPath(endpoint, deploymentOf(call.model), apiVersion),
    config,
    headers,
    secrets,
    ...(!credentials && { configError: missingCredentialsError(name) }),
    body(body, call) {
      // The v1 form finds the deployment in `model`; the classic form ignores it, so it says the same.
      let out: Record<string, unknown> = { ...body, model: deploymentOf(call.model) };
      // Azure's reasoning models (o-series, gpt-5, model-router) refuse `max_tokens`, as OpenAI's do.
      if (completionTokens) out = preferMaxCompletionTokens(out, call.request);
      return forceStreamUsage(out, call);
    },
    // Azure's bare 404s say nothing of which deployment or api-version: this call knows.
    explainError: (error, call) =>
      explainAzureError(error, name, options, endpoint, deploymentOf(call.model)) as ProviderError,
  });
}
