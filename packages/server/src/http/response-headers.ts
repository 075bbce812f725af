/** Headers every response gets on its way out, whatever route made it. */
import { requestIdFor } from './request-id.ts';

/**
 * Runs `apply` on the response's headers. A Response from `fetch` has immutable headers (the first set
 * throws): it is then rebuilt around the same body, never read here.
 */
export function withHeaders(response: Response, apply: (headers: Headers) => void): Response {
  try {
    apply(response.headers);
    return response;
  } catch {
    const copy = new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    apply(copy.headers);
    return copy;
  }
}

/**
 * The request id under both names the SDKs read: `x-request-id` (openai) and `request-id` (Anthropic),
 * the same value. A response without one gets the client's sane id, else a fresh one.
 */
export function setRequestIds(request: Request, headers: Headers): void {
  let id = headers.get('x-request-id');
  if (!id) {
    id = requestIdFor(request.headers);
    headers.set('x-request-id', id);
  }
  headers.set('request-id', id);
}
