/**
 * Where requests go: base URL + the dialect's path, accepting base URLs with or without a trailing slash
 * or a version segment.
 *
 * openai-chat:        trailing `/` removed; a path ending in `/chat/completions` is used as is; an empty path
 *                     gets `/v1/chat/completions`; any other path gets `/chat/completions`
 *                     (`https://api.groq.com/openai/v1` → `…/openai/v1/chat/completions`).
 * anthropic-messages: trailing `/` removed; a path ending in `/messages` is used as is; a path ending in `/v1`
 *                     gets `/messages`; any other path gets `/v1/messages`.
 * A query string (e.g. Azure's `?api-version=`) is kept.
 */
import type { DialectName } from '@tokenpak/provider';

export interface Endpoint {
  /** `https://api.openai.com` */
  origin: string;
  /** `/v1/chat/completions` plus any query. */
  path: string;
}

export function resolveEndpoint(baseUrl: string, dialect: DialectName, provider: string): Endpoint {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`providers.${provider}.base_url must be an absolute http(s) URL (got "${baseUrl}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`providers.${provider}.base_url must use http or https (got ${url.protocol})`);
  }
  const base = url.pathname.replace(/\/+$/, '');
  let path: string;
  if (dialect === 'openai-chat') {
    if (base.endsWith('/chat/completions')) path = base;
    else if (base === '') path = '/v1/chat/completions';
    else path = `${base}/chat/completions`;
  } else if (base.endsWith('/messages')) path = base;
  else if (base.endsWith('/v1')) path = `${base}/messages`;
  else path = `${base}/v1/messages`;
  return { origin: url.origin, path: path + url.search };
}
