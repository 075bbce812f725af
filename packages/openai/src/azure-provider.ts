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
import { ProviderError } from '@tokenpak/provider';
import { createHttpProvider, type HttpCall, providerSecrets } from '@tokenpak/provider-utils';
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

/** Dated api-versions (`2024-10-21`, `2025-04-01-preview`). */
const API_VERSION = /^\d{4}-\d{2}-\d{2}(?:-[a-z]+)?$/;
/** Azure deployment names: letters, digits, `-`, `_`, `.` (no slashes, no spaces). */
const DEPLOYMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** The first api-version (2024-09-01-preview) that knows `max_completion_tokens`. */
const MAX_COMPLETION_TOKENS_SINCE = '2024-09-01';

/** Names people write for these options (the Azure SDKs' and the portal's): a did-you-mean. */
const MISNAMED: Record<string, string> = {
  'api-version': 'api_version',
  apiVersion: 'api_version',
  api_ver: 'api_version',
  deployment_name: 'deployment',
  deploymentName: 'deployment',
  deployment_id: 'deployment',
  endpoint: 'base_url',
  azure_endpoint: 'base_url',
  azureEndpoint: 'base_url',
  resource: 'base_url',
  apiKey: 'api_key',
  'api-key': 'api_key',
  azure_ad_token_provider: 'azure_ad_token',
  azureADToken: 'azure_ad_token',
  ad_token: 'azure_ad_token',
  bearer_token: 'azure_ad_token',
  token: 'azure_ad_token',
};

function optionalString(config: ProviderConfigEntry, name: string, key: string): string | undefined {
  const value = config[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new Error(`providers.${name}.${key} must be a string (got ${JSON.stringify(value)})`);
  }
  // `${ENV}` of an unset variable interpolates to '': the same as not set.
  return value.trim() === '' ? undefined : value.trim();
}

/** Validates the options of one `type: azure` entry; every error names `providers.<name>.<key>`. */
export function readAzureOptions(name: string, config: ProviderConfigEntry): AzureOptions {
  for (const [wrong, right] of Object.entries(MISNAMED)) {
    if (config[wrong] !== undefined && config[right] === undefined) {
      throw new Error(`providers.${name}.${wrong} is not an option of type azure: did you mean ${right}?`);
    }
  }
  const baseUrl = optionalString(config, name, 'base_url');
  if (baseUrl === undefined) {
    throw new Error(
      `providers.${name}.base_url is required for type azure: the resource endpoint, e.g. https://my-resource.openai.azure.com`,
    );
  }
  const apiVersion = optionalString(config, name, 'api_version');
  if (apiVersion !== undefined && !API_VERSION.test(apiVersion)) {
    const v1 = /^(?:v1|preview|latest)$/i.test(apiVersion);
    throw new Error(
      v1
        ? `providers.${name}.api_version: leave it out for the v1 API (/openai/v1/...); set it only for the classic form, e.g. 2024-10-21 (got ${JSON.stringify(apiVersion)})`
        : `providers.${name}.api_version must be an Azure OpenAI api-version such as 2024-10-21 or 2025-04-01-preview (got ${JSON.stringify(apiVersion)})`,
    );
  }
  const deployment = optionalString(config, name, 'deployment');
  if (deployment !== undefined && !DEPLOYMENT.test(deployment)) {
    throw new Error(
      `providers.${name}.deployment must be a deployment name (letters, digits, '-', '_', '.'), not a URL or path (got ${JSON.stringify(deployment)})`,
    );
  }
  const apiKey = optionalString(config, name, 'api_key');
  const adToken = optionalString(config, name, 'azure_ad_token');
  if (apiKey !== undefined && adToken !== undefined) {
    throw new Error(
      `providers.${name}.azure_ad_token cannot be used together with providers.${name}.api_key: set one of them`,
    );
  }
  if (adToken !== undefined && /^bearer\s/i.test(adToken)) {
    throw new Error(`providers.${name}.azure_ad_token must be the token alone, without "Bearer "`);
  }
  return {
    baseUrl,
    ...(apiVersion !== undefined && { apiVersion }),
    ...(deployment !== undefined && { deployment }),
    ...(apiKey !== undefined && { apiKey }),
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
