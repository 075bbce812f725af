/**
 * Where an Anthropic Messages request goes, from a base URL with or without a trailing slash or a version
 * segment: trailing `/` removed; a path ending in `/messages` is used as is; a path ending in `/v1` gets
 * `/messages`; any other path gets `/v1/messages`. A query string is kept.
 */
import { parseBaseUrl } from '@tokenpak/provider-utils';

/** The path of Messages calls for this base URL (e.g. `/v1/messages`), with `suffix` (e.g. `/count_tokens`) and the base URL's query. */
export function messagesPath(baseUrl: string, provider: string, suffix = ''): string {
  const { path: base, search } = parseBaseUrl(baseUrl, provider);
  let path: string;
  if (base.endsWith('/messages')) path = base;
  else if (base.endsWith('/v1')) path = `${base}/messages`;
  else path = `${base}/v1/messages`;
  return path + suffix + search;
}
