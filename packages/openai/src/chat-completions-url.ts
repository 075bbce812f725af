/**
 * Where an OpenAI Chat Completions request goes, from a base URL with or without a trailing slash or a
 * version segment: trailing `/` removed; a path ending in `/chat/completions` is used as is; an empty path
 * gets `/v1/chat/completions`; any other path gets `/chat/completions`
 * (`https://api.groq.com/openai/v1` → `…/openai/v1/chat/completions`). A query string (e.g. Azure's
 * `?api-version=`) is kept.
 */
import { parseBaseUrl } from '@tokenpak/provider-utils';

/** The path and query of every Chat Completions call for this base URL (e.g. `/v1/chat/completions`). */
export function chatCompletionsPath(baseUrl: string, provider: string): string {
  const { path: base, search } = parseBaseUrl(baseUrl, provider);
  let path: string;
  if (base.endsWith('/chat/completions')) path = base;
  else if (base === '') path = '/v1/chat/completions';
  else path = `${base}/chat/completions`;
  return path + search;
}
