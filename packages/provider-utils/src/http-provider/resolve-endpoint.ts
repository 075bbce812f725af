/**
 * Base URLs, without any dialect's rules: parsing and validating `providers.<name>.base_url`, and turning
 * what a provider's per-call `url()` returns into a request path on the base URL's origin.
 *
 * Where a dialect's requests go (OpenAI's `/chat/completions`, Anthropic's `/v1/messages`, Gemini's
 * `/v1beta/models/{model}:streamGenerateContent?alt=sse`...) is the provider package's business: it builds
 * the path from `BaseUrl.path` and `BaseUrl.search` in its `url(call)`.
 */

export interface BaseUrl {
  /** `https://api.openai.com` (scheme, host and port: one connection pool per origin). */
  origin: string;
  /** The base URL's path without trailing slashes: `/v1`, `/openai/v1`, `''` for none. */
  path: string;
  /** The base URL's query string with its `?` (`?api-version=2024-10-21`), or `''`. */
  search: string;
}

/**
 * Parses a provider's base URL. Throws an Error naming `providers.<provider>.base_url` when it is not an
 * absolute http(s) URL.
 */
export function parseBaseUrl(baseUrl: string, provider: string): BaseUrl {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`providers.${provider}.base_url must be an absolute http(s) URL (got "${baseUrl}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`providers.${provider}.base_url must use http or https (got ${url.protocol})`);
  }
  return { origin: url.origin, path: url.pathname.replace(/\/+$/, ''), search: url.search };
}

/**
 * The request path (path + query, starting with `/`) for what a provider's `url(call)` returned: either a
 * path starting with `/` (relative to the base URL's origin) or a full URL on that same origin. Throws an
 * Error for a full URL on another origin (one provider keeps one connection pool, to one origin).
 */
export function requestPath(url: string, origin: string, provider: string): string {
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`provider ${provider} built the request URL "${url}", which is neither a path nor a URL`);
  }
  if (parsed.origin !== origin) {
    throw new Error(
      `provider ${provider} built a request URL on ${parsed.origin}, but its base URL's origin is ${origin}`,
    );
  }
  return parsed.pathname + parsed.search;
}

/** Joins a base path and a path segment: `joinPath('/v1', '/messages')` → `/v1/messages`. */
export function joinPath(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
