/**
 * The one refusal every request builder makes: a request that only an upstream of the client's own dialect
 * can serve (`requiresSameDialect`, `untranslatable`) is a 400 naming what it asks for, from any other.
 */
import { ProviderError } from './errors.ts';
import type { CanonicalRequest } from './request.ts';

/** Throws the 400 when `request` cannot be sent to an upstream speaking `upstreamDialect`. */
export function refuseUntranslatable(
  request: Pick<CanonicalRequest, 'sourceDialect' | 'requiresSameDialect' | 'untranslatable'>,
  upstreamDialect: string,
): void {
  if (request.sourceDialect === upstreamDialect) return;
  const reason = request.requiresSameDialect ?? request.untranslatable;
  if (reason === undefined) return;
  throw new ProviderError({
    type: 'invalid_request',
    message: `${reason}: this needs an upstream that speaks ${request.sourceDialect}`,
  });
}
