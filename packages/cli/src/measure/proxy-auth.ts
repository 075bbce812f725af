/** What `tokenpak measure` says when the proxy answers 401 (server.api_keys is set). */
export function unauthorizedMessage(apiKey: string | undefined): string {
  return apiKey
    ? 'the proxy did not accept the API key (401): check --api-key or TOKENPAK_API_KEY against server.api_keys'
    : 'the proxy requires an API key: pass --api-key or set TOKENPAK_API_KEY';
}

/** Headers that carry the client key to the proxy, when there is one. */
export function keyHeaders(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { 'x-api-key': apiKey } : {};
}
