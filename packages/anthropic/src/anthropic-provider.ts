/** `type: anthropic`: Anthropic's Messages API (https://api.anthropic.com/v1/messages). */
import type { CallContext, CanonicalRequest, Provider, ProviderInit } from '@tokenpak/provider';
import { createHttpProvider, mergeHeaders, missingKeyError, providerSecrets } from '@tokenpak/provider-utils';
import { createCountTokens } from './count-tokens.ts';
import { anthropicMessages } from './messages/index.ts';
import { messagesPath } from './messages-url.ts';

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
/** Sent as `anthropic-version`; override with `headers: { anthropic-version: ... }`. */
export const ANTHROPIC_VERSION = '2023-06-01';

/** Client headers an Anthropic client may have an Anthropic upstream see: its beta flags and API version. */
export const ANTHROPIC_CLIENT_HEADERS = ['anthropic-beta', 'anthropic-version'] as const;

/** For the server: the ANTHROPIC_CLIENT_HEADERS a client's request carries, as `CallContext.clientHeaders`. */
export function pickAnthropicClientHeaders(headers: Headers): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const name of ANTHROPIC_CLIENT_HEADERS) {
    const value = headers.get(name);
    if (!value) continue;
    out ??= {};
    out[name] = value;
  }
  return out;
}

/** Comma-separated beta flags, first list first, each flag once. */
function mergeBetas(first: string, second: string): string {
  const flags = new Set<string>();
  for (const flag of `${first},${second}`.split(',')) {
    const trimmed = flag.trim();
    if (trimmed !== '') flags.add(trimmed);
  }
  return [...flags].join(',');
}

/**
 * The headers of one call on top of the provider's own, for a client that spoke Anthropic: its
 * `anthropic-version` (unless the config pins one in `headers`) and its `anthropic-beta` flags (joined to
 * the config's). Beta features (1M context, interleaved thinking...) change what the upstream does, so they
 * must not be lost. Other client dialects have nothing to forward.
 */
export function anthropicCallHeaders(
  configHeaders: Readonly<Record<string, string>> = {},
): (request: CanonicalRequest, context: CallContext) => Record<string, string> | undefined {
  let configBeta: string | undefined;
  let versionPinned = false;
  for (const [name, value] of Object.entries(configHeaders)) {
    const lower = name.toLowerCase();
    if (lower === 'anthropic-beta') configBeta = value;
    else if (lower === 'anthropic-version') versionPinned = true;
  }
  return (request, context) => {
    const client = context.clientHeaders;
    if (!client || request.sourceDialect !== 'anthropic-messages') return undefined;
    const beta = client['anthropic-beta'];
    const version = client['anthropic-version'];
    const out: Record<string, string> = {};
    if (beta) out['anthropic-beta'] = configBeta ? mergeBetas(configBeta, beta) : beta;
    if (version && !versionPinned) out['anthropic-version'] = version;
    return Object.keys(out).length > 0 ? out : undefined;
  };
}

export function createAnthropicProvider({ name, config }: ProviderInit): Provider {
  const key = typeof config.api_key === 'string' && config.api_key !== '' ? config.api_key : undefined;
  const hasAuthHeader = Object.keys(config.headers ?? {}).some((h) => /^(x-api-key|authorization)$/i.test(h));
  const baseUrl = config.base_url ?? ANTHROPIC_BASE_URL;
  const headers = { 'anthropic-version': ANTHROPIC_VERSION, ...(key && { 'x-api-key': key }) };
  const secrets = providerSecrets(config);
  const configError =
    !key && !hasAuthHeader ? missingKeyError(name, 'anthropic', 'ANTHROPIC_API_KEY') : undefined;
  const path = messagesPath(baseUrl, name);
  const clientHeaders = anthropicCallHeaders(config.headers);
  const provider = createHttpProvider({
    name,
    type: 'anthropic',
    dialect: anthropicMessages,
    baseUrl,
    url: () => path,
    config,
    headers,
    secrets,
    callHeaders: ({ request, context }) => clientHeaders(request, context),
    ...(configError && { configError }),
  });
  provider.countTokens = createCountTokens({
    name,
    baseUrl,
    config,
    headers: mergeHeaders({ 'content-type': 'application/json' }, headers, config.headers),
    secrets,
    ...(configError && { configError }),
  });
  return provider;
}
