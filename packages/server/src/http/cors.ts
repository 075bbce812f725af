/**
 * CORS for browser clients, off unless `server.cors` turns it on (`true`: any origin; a list: those
 * origins). An allowed origin is echoed (with `vary: origin`), never `*`, so one answer fits every config.
 */

export type CorsSetting = boolean | readonly string[];

export interface Cors {
  /** The 204 answer to a preflight from an allowed origin; undefined otherwise (the route answers). */
  preflight(request: Request): Response | undefined;
  /** Adds the CORS headers of an actual response when the request's origin is allowed (once). */
  apply(request: Request, headers: Headers): void;
}

const ALLOW_METHODS = 'GET, POST, OPTIONS';
/** Sent when a preflight names no headers: what the three SDKs and curl-like clients send. */
const ALLOW_HEADERS = [
  'authorization',
  'x-api-key',
  'content-type',
  'accept',
  'x-request-id',
  'anthropic-version',
  'anthropic-beta',
  'anthropic-dangerous-direct-browser-access',
  'openai-organization',
  'openai-project',
  'x-stainless-*',
  'x-goog-api-key',
  'x-goog-api-client',
].join(', ');
/** Response headers a page's script may read: the request ids, our warnings, and when to retry. */
const EXPOSE_HEADERS = 'x-request-id, request-id, x-tokenpak-warnings, retry-after';
const MAX_AGE = '600';

export function createCors(setting: CorsSetting): Cors | undefined {
  if (setting === false) return undefined;
  const origins = setting === true ? undefined : new Set(setting);
  const allowedOrigin = (request: Request): string | undefined => {
    const origin = request.headers.get('origin');
    if (origin === null) return undefined;
    return origins === undefined || origins.has(origin) ? origin : undefined;
  };
  return {
    preflight(request) {
      const origin = allowedOrigin(request);
      if (origin === undefined || !request.headers.has('access-control-request-method')) return undefined;
      return new Response(null, {
        status: 204,
        headers: {
          'access-control-allow-origin': origin,
          'access-control-allow-methods': ALLOW_METHODS,
          'access-control-allow-headers':
            request.headers.get('access-control-request-headers') || ALLOW_HEADERS,
          'access-control-max-age': MAX_AGE,
          vary: 'origin, access-control-request-headers',
        },
      });
    },
    apply(request, headers) {
      const origin = allowedOrigin(request);
      if (origin === undefined || headers.has('access-control-allow-origin')) return;
      headers.set('access-control-allow-origin', origin);
      headers.set('access-control-expose-headers', EXPOSE_HEADERS);
      headers.append('vary', 'origin');
    },
  };
}
