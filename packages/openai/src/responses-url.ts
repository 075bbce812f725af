/**
 * Where an OpenAI Responses request goes, from a base URL with or without a trailing slash or a version
 * segment: a path ending in `/responses` is used as is; an empty path gets `/v1/responses`; any other path gets
 * `/responses` (`https://api.openai.com/v1` → `…/v1/responses`). A query string is kept.
 */
import { parseBaseUrl } from '@tokenpak/provider-utils';

/** The path and query of every Responses call for this base URL (e.g. `/v1/responses`). */
export function responsesPath(baseUrl: string, provider: string): string {
  const { path: base, search } = parseBaseUrl(baseUrl, provider);
  let path: string;
  if (base.endsWith('/responses')) path = base;
  else if (base === '') path = '/v1/responses';
  else path = `${base}/responses`;
  return path + search;
}
