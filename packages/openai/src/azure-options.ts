/**
 * The options of `type: azure` besides the common ones: `api_version`, `deployment`, `azure_ad_token`. The
 * checks are shared by the strict Standard Schema (registry, `tokenpak validate-config`) and by
 * `readAzureOptions` (the provider itself), so the two cannot drift. Names people write for these options
 * (the Azure SDKs' and the portal's: `api-version`, `deployment_name`, `endpoint`...) get a did-you-mean.
 */
import type { StandardSchema } from '@tokenpak/provider';
import { strictOptionsSchema } from '@tokenpak/provider-utils';

export const AZURE_OPTIONS = ['api_version', 'deployment', 'azure_ad_token'] as const;

/** The `type: azure` options as the schema returns them (as given: `readAzureOptions` trims them). */
export interface AzureEntryOptions {
  api_version?: string;
  deployment?: string;
  azure_ad_token?: string;
}

/** Dated api-versions (`2024-10-21`, `2025-04-01-preview`). */
const API_VERSION = /^\d{4}-\d{2}-\d{2}(?:-[a-z]+)?$/;
/** Azure deployment names: letters, digits, `-`, `_`, `.` (no slashes, no spaces). */
const DEPLOYMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

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

/** The message for a known misnaming of an option, else undefined. */
export function misnamedAzureOption(key: string): string | undefined {
  const right = Object.hasOwn(MISNAMED, key) ? MISNAMED[key] : undefined;
  return right === undefined ? undefined : `is not an option of type azure: did you mean ${right}?`;
}

/** A string option trimmed; `${ENV}` of an unset variable interpolates to '', the same as not set. */
export function optionalString(value: unknown): { value?: string; problem?: string } {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'string') return { problem: `must be a string (got ${JSON.stringify(value)})` };
  return value.trim() === '' ? {} : { value: value.trim() };
}

/**
 * The problems of the values of `api_version`, `deployment` and `azure_ad_token`, each at its key; the
 * message follows the key (`providers.<name>.<key> <message>`).
 */
export function azureOptionProblems(input: Record<string, unknown>): Array<{ key: string; message: string }> {
  const problems: Array<{ key: string; message: string }> = [];
  const apiVersion = optionalString(input.api_version);
  if (apiVersion.problem) problems.push({ key: 'api_version', message: apiVersion.problem });
  else if (apiVersion.value !== undefined && !API_VERSION.test(apiVersion.value)) {
    const v1 = /^(?:v1|preview|latest)$/i.test(apiVersion.value);
    problems.push({
      key: 'api_version',
      message: v1
        ? `must be left out for the v1 API (/openai/v1/...); set it only for the classic form, e.g. 2024-10-21 (got ${JSON.stringify(apiVersion.value)})`
        : `must be an Azure OpenAI api-version such as 2024-10-21 or 2025-04-01-preview (got ${JSON.stringify(apiVersion.value)})`,
    });
  }
  const deployment = optionalString(input.deployment);
  if (deployment.problem) problems.push({ key: 'deployment', message: deployment.problem });
  else if (deployment.value !== undefined && !DEPLOYMENT.test(deployment.value)) {
    problems.push({
      key: 'deployment',
      message: `must be a deployment name (letters, digits, '-', '_', '.'), not a URL or path (got ${JSON.stringify(deployment.value)})`,
    });
  }
  const adToken = optionalString(input.azure_ad_token);
  if (adToken.problem) problems.push({ key: 'azure_ad_token', message: adToken.problem });
  else if (adToken.value !== undefined && /^bearer\s/i.test(adToken.value)) {
    problems.push({ key: 'azure_ad_token', message: 'must be the token alone, without "Bearer "' });
  }
  return problems;
}

export const azureOptionsSchema: StandardSchema<unknown, AzureEntryOptions> = strictOptionsSchema({
  vendor: '@tokenpak/openai',
  type: 'azure',
  options: AZURE_OPTIONS,
  unknownKey: misnamedAzureOption,
  check(input, issues) {
    for (const { key, message } of azureOptionProblems(input)) issues.push({ path: [key], message });
    const options: Record<string, unknown> = {};
    for (const key of AZURE_OPTIONS) if (input[key] !== undefined) options[key] = input[key];
    return options as AzureEntryOptions;
  },
});
