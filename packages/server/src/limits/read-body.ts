/** Reads a request body as text, enforcing the size limit while reading (never buffers past it). */
import { ProviderError } from '@tokenpak/providers';
import { lingerAfterTooLarge } from './linger.ts';

/**
 * Over the limit: a 413 error, and on the Node listener the rest of the body is drained (bounded) so that
 * the client, still uploading, can read that 413 (`linger.ts`). The caller answers with `connection: close`.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) {
    lingerAfterTooLarge(request);
    throw tooLarge(maxBytes);
  }
  // A declared length within the limit bounds the body (the HTTP parser reads no more than it): read it
  // whole. On Node, srvx then reads the socket directly, without building a web stream over the request.
  if (declared !== null && declared !== '' && Number(declared) <= maxBytes)
    return withoutBom(await request.text());
  const body = request.body;
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Do not cancel: on Node, cancelling the request body destroys the request and detaches its socket
      // before the 413 is written, which crashed the Node listener's connection tracking (and the client, still
      // sending, would never see the 413). The rest is read and discarded, within bounds, instead.
      lingerAfterTooLarge(request, reader);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return new TextDecoder().decode(chunks[0]);
  const all = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** `text()` keeps a UTF-8 byte order mark that TextDecoder drops: drop it too. */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function tooLarge(maxBytes: number): ProviderError {
  return new ProviderError({
    type: 'request_too_large',
    message: `Request body is larger than the limit of ${maxBytes} bytes (server.max_body_bytes).`,
  });
}

/** Parses the body as JSON whatever the content type says (curl without -H sends form-urlencoded). */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') {
    throw new ProviderError({
      type: 'invalid_request',
      message: 'Request body is empty: expected a JSON object.',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ProviderError({
      type: 'invalid_request',
      message: `Request body is not valid JSON: ${detail}`,
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ProviderError({ type: 'invalid_request', message: 'Request body must be a JSON object.' });
  }
  return value;
}
