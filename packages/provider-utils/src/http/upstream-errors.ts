/**
 * Turns what undici throws (connect refused, timeouts, sockets closed) into ProviderErrors in the user's words.
 * Messages name the provider and the setting at play; they never contain headers, so never an API key.
 */
import { ProviderError } from '@tokenpak/provider';

export interface UpstreamErrorContext {
  /** Provider name (config key). */
  provider: string;
  /** Origin only (scheme, host, port): never a path or query, which could carry secrets. */
  origin: string;
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  /** True once response headers arrived: failures are then mid-stream. */
  afterHeaders: boolean;
}

const NOT_FOUND_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME']);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof cause === 'string' ? cause : undefined;
}

/** A ProviderError for a request the caller cancelled (client hung up, server gave up). */
export function abortedError(provider: string, reason?: unknown): ProviderError {
  if (ProviderError.isProviderError(reason)) return reason;
  return new ProviderError({
    type: 'network',
    status: 499,
    code: 'aborted',
    retryable: false,
    provider,
    message: `the request to upstream ${provider} was cancelled`,
    cause: reason,
  });
}

/** Maps a transport failure to a ProviderError of type 'timeout' or 'network'. */
export function upstreamError(error: unknown, context: UpstreamErrorContext): ProviderError {
  if (ProviderError.isProviderError(error)) return error;
  const { provider, origin } = context;
  const code = codeOf(error);
  const where = context.afterHeaders ? ' in the middle of the response' : '';
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new ProviderError({
        type: 'timeout',
        provider,
        code: 'connect_timeout',
        message: `could not connect to upstream ${provider} (${origin}) within ${context.connectTimeoutMs} ms (connect_timeout_ms)`,
        cause: error,
      });
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new ProviderError({
        type: 'timeout',
        provider,
        code: 'first_byte_timeout',
        message: `upstream ${provider} did not send a first byte within ${context.firstByteTimeoutMs} ms (timeout_ms)`,
        cause: error,
      });
    case 'UND_ERR_BODY_TIMEOUT':
      return new ProviderError({
        type: 'timeout',
        provider,
        code: 'idle_timeout',
        message: `upstream ${provider} sent nothing for ${context.idleTimeoutMs} ms${where} (idle_timeout_ms)`,
        cause: error,
      });
    case 'ECONNREFUSED':
      return new ProviderError({
        type: 'network',
        provider,
        code: 'connection_refused',
        message: `could not connect to upstream ${provider} at ${origin}: connection refused`,
        cause: error,
      });
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return new ProviderError({
        type: 'network',
        provider,
        code: 'connection_closed',
        message: `upstream ${provider} closed the connection${where}`,
        cause: error,
      });
    default:
      break;
  }
  if (code && NOT_FOUND_CODES.has(code)) {
    return new ProviderError({
      type: 'network',
      provider,
      code: 'host_not_found',
      message: `could not connect to upstream ${provider}: host of ${origin} not found`,
      cause: error,
    });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new ProviderError({
    type: 'network',
    provider,
    message: `request to upstream ${provider} (${origin}) failed${where}: ${detail}`,
    cause: error,
  });
}
