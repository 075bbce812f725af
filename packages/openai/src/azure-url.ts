/**
 * Where an Azure OpenAI Chat Completions request goes, from the resource endpoint
 * (`https://{resource}.openai.azure.com`):
 * - the v1 form (no api-version): `{endpoint}/openai/v1/chat/completions`, the deployment in the body's `model`;
 * - the classic form (an api-version): `{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…`.
 *
 * The endpoint may end in `/openai` or `/openai/v1` (both are cut off), and may have a path of its own (a
 * gateway in front of Azure: `https://gateway.example.com/aoai`), which is kept. A URL naming a deployment
 * or an api-version is refused with an error saying which option to set instead.
 */
import { parseBaseUrl } from '@tokenpak/provider-utils';

export interface AzureEndpoint {
  /** `https://my-resource.openai.azure.com` (one connection pool per origin). */
  origin: string;
  /** The path before `/openai/...`: `''` for a resource endpoint. */
  prefix: string;
  /** Any other query parameters of the base URL, kept on every call (with their `?`), or `''`. */
  search: string;
  /** The endpoint as given, without a trailing slash, `/openai` or `/openai/v1`: for messages. */
  display: string;
}

const CLASSIC_URL = /\/openai\/deployments\/([^/]+)(?:\/.*)?$/;
const OPENAI_SUFFIX = /\/openai(?:\/v1)?(?:\/chat\/completions)?$/;

/** Parses `providers.<name>.base_url` as an Azure resource endpoint; throws an Error naming the setting. */
export function parseAzureEndpoint(baseUrl: string, provider: string): AzureEndpoint {
  const { origin, path, search } = parseBaseUrl(baseUrl, provider);
  const params = new URLSearchParams(search);
  const apiVersion = params.get('api-version');
  const classic = CLASSIC_URL.exec(path);
  if (classic || apiVersion !== null) {
    const hints = [
      classic && `providers.${provider}.deployment: ${decodeURIComponent(classic[1] ?? '')}`,
      apiVersion !== null && `providers.${provider}.api_version: ${apiVersion}`,
    ].filter(Boolean);
    throw new Error(
      `providers.${provider}.base_url must be the Azure resource endpoint (e.g. https://my-resource.openai.azure.com), ` +
        `not a request URL: set ${hints.join(' and ')} instead`,
    );
  }
  const prefix = path.replace(OPENAI_SUFFIX, '');
  const query = params.toString();
  return { origin, prefix, search: query === '' ? '' : `?${query}`, display: origin + prefix };
}

/** The path and query of one Chat Completions call: the classic form with an api-version, else the v1 form. */
export function azureChatCompletionsPath(
  endpoint: AzureEndpoint,
  deployment: string,
  apiVersion: string | undefined,
): string {
  if (apiVersion === undefined) return `${endpoint.prefix}/openai/v1/chat/completions${endpoint.search}`;
  const params = new URLSearchParams(endpoint.search);
  params.set('api-version', apiVersion);
  return `${endpoint.prefix}/openai/deployments/${encodeURIComponent(deployment)}/chat/completions?${params}`;
}
