/**
 * Response bodies the upstream compressed anyway. TokenPak asks for `accept-encoding: identity`, but a
 * provider's configured `headers` may ask for gzip, and some gateways compress regardless: such bodies are
 * decoded with node:zlib before the SSE or JSON reader sees them.
 */
import { pipeline, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { ProviderError } from '@tokenpak/provider';

const DECODERS: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** Adds `accept-encoding: identity` unless the headers already name an encoding (any letter case). */
export function withAcceptEncoding(headers: Record<string, string>): Record<string, string> {
  if (headers['accept-encoding'] !== undefined) return headers;
  for (const name in headers) if (name.toLowerCase() === 'accept-encoding') return headers;
  return { ...headers, 'accept-encoding': 'identity' };
}

/** The content-encoding of a response, lower-cased; undefined for none or identity. */
export function contentEncodingOf(
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  const raw = headers['content-encoding'];
  const value = (Array.isArray(raw) ? raw.join(',') : raw)?.trim().toLowerCase();
  return value === undefined || value === '' || value === 'identity' ? undefined : value;
}

/** Whether `decodedBody` can decode this encoding (gzip, deflate, br). */
export function canDecode(encoding: string): boolean {
  return Object.hasOwn(DECODERS, encoding);
}

/**
 * The decoded body: `body` piped through a zlib decoder. Destroying the result (cancel) destroys `body`,
 * which aborts the request; an error of `body` (socket, timeout, abort) reaches the result as its error.
 */
export function decodedBody(body: Readable, encoding: string): Readable {
  const decoder = DECODERS[encoding]!();
  // Errors surface as the decoder's 'error' event, which the byte reader listens to.
  pipeline(body, decoder, () => {});
  return decoder;
}

/** A zlib failure: the body did not decode as the encoding it claimed. */
export function isDecodeError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR_BROTLI'));
}

export function decodeError(provider: string, encoding: string, cause: unknown): ProviderError {
  return new ProviderError({
    type: 'bad_upstream',
    provider,
    message: `upstream ${provider} sent a body that does not decode as ${encoding} (content-encoding: ${encoding})`,
    cause,
  });
}

export function unsupportedEncodingError(provider: string, encoding: string): ProviderError {
  return new ProviderError({
    type: 'bad_upstream',
    provider,
    message: `upstream ${provider} sent a ${encoding}-encoded body, which TokenPak does not decode (it decodes gzip, deflate and br); remove accept-encoding from providers.${provider}.headers`,
  });
}
