/**
 * Errors are values with a type, an HTTP status and a message in the user's words.
 * Dialect encoders turn them into the client's wire format.
 */
export type ErrorType =
  /** The request is malformed or asks for something impossible (400). */
  | 'invalid_request'
  /** Missing or wrong API key (401). */
  | 'authentication'
  /** The key may not do this (403). */
  | 'permission'
  /** Unknown model alias or upstream resource (404). */
  | 'not_found'
  /** The body is larger than allowed (413). */
  | 'request_too_large'
  /** Accept header asks for a format that is not offered (406). */
  | 'not_acceptable'
  /** Too many requests or streams (429). */
  | 'rate_limit'
  /** Upstream is overloaded (Anthropic 529; served to clients as 529 or 503). */
  | 'overloaded'
  /** Upstream did not answer in time (504). */
  | 'timeout'
  /** Upstream could not be reached, or hung up (502). */
  | 'network'
  /** Upstream answered with something we could not understand (502). */
  | 'bad_upstream'
  /** Any other server-side failure (500 / upstream 5xx). */
  | 'api_error';

const DEFAULT_STATUS: Record<ErrorType, number> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  request_too_large: 413,
  not_acceptable: 406,
  rate_limit: 429,
  overloaded: 529,
  timeout: 504,
  network: 502,
  bad_upstream: 502,
  api_error: 500,
};

const RETRYABLE: ReadonlySet<ErrorType> = new Set([
  'rate_limit',
  'overloaded',
  'timeout',
  'network',
  'api_error',
]);

export interface ProviderErrorInit {
  type: ErrorType;
  message: string;
  /** HTTP status; defaults from the type. */
  status?: number;
  /** Name of the provider (config key) the error came from, if any. */
  provider?: string;
  /** Provider-specific error code (e.g. `insufficient_quota`, `tool_use_failed`). */
  code?: string;
  /** Whether sending the same request again could succeed; defaults from the type and status. */
  retryable?: boolean;
  /** Seconds the client should wait before retrying, when known (Retry-After). */
  retryAfter?: number;
  /** Request parameter at fault (OpenAI `param`). */
  param?: string;
  cause?: unknown;
}

/**
 * Marks a ProviderError. A registered symbol (`Symbol.for`) is the same in every copy of this module, so an error
 * made by a provider package's own copy of `@tokenpak/provider` is still recognised by the server's copy.
 */
const BRAND: unique symbol = Symbol.for('tokenpak.provider-error') as never;

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly [BRAND] = true;
  readonly type: ErrorType;
  readonly status: number;
  readonly provider?: string;
  readonly code?: string;
  readonly retryable: boolean;
  readonly retryAfter?: number;
  readonly param?: string;

  constructor(init: ProviderErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.type = init.type;
    this.status = init.status ?? DEFAULT_STATUS[init.type];
    this.provider = init.provider;
    this.code = init.code;
    this.retryAfter = init.retryAfter;
    this.param = init.param;
    this.retryable =
      init.retryable ?? (RETRYABLE.has(init.type) || this.status === 429 || this.status >= 500);
  }

  /**
   * Whether `value` is a ProviderError from any copy of `@tokenpak/provider` (checked by brand, not prototype).
   * `instanceof ProviderError` does the same check; `instanceof` a subclass stays a prototype check.
   */
  static isProviderError(value: unknown): value is ProviderError {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was asked about (maybe a subclass)
    if (this !== ProviderError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return ProviderError.isProviderError(value);
  }

  /** A copy of this error with some fields replaced (errors are values: never mutated). */
  with(patch: Partial<ProviderErrorInit>): ProviderError {
    return new ProviderError({
      type: this.type,
      message: this.message,
      status: this.status,
      provider: this.provider,
      code: this.code,
      retryable: this.retryable,
      retryAfter: this.retryAfter,
      param: this.param,
      cause: this.cause,
      ...patch,
    });
  }
}

/** Maps an upstream HTTP status to our error type. */
export function errorTypeForStatus(status: number): ErrorType {
  if (status === 400 || status === 422) return 'invalid_request';
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit';
  if (status === 529 || status === 503) return 'overloaded';
  if (status === 504 || status === 408) return 'timeout';
  return 'api_error';
}

/** Wraps anything thrown into a ProviderError (used at every boundary). */
export function toProviderError(error: unknown, provider?: string): ProviderError {
  if (ProviderError.isProviderError(error)) return error;
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return new ProviderError({ type: 'timeout', message: error.message, provider, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError({ type: 'api_error', message, provider, cause: error });
}
