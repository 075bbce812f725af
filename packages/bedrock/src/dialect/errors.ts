/**
 * Bedrock errors. Before the stream: a non-2xx answer with `{"message": "..."}` and the exception's name in
 * the `x-amzn-errortype` header (`ValidationException:http://internal.amazon.com/...`). Inside the stream: a
 * frame with `:message-type: exception`, the name in `:exception-type` (`throttlingException`, camel case)
 * and `{"message"}` as payload. Both map through one table, by name, so that a throttled stream and a
 * throttled request are the same error (and equally retryable) to the server.
 */
import { type ErrorType, errorTypeForStatus, ProviderError } from '@tokenpak/provider';
import type { BedrockErrorBody } from './wire-types.ts';

/** Exception name (lower case) → canonical type and the status Bedrock documents for it. */
const EXCEPTIONS: Record<string, { type: ErrorType; status: number }> = {
  validationexception: { type: 'invalid_request', status: 400 },
  accessdeniedexception: { type: 'permission', status: 403 },
  // Wrong, unknown, expired or unsigned credentials: all 403 from AWS, all an authentication failure.
  unrecognizedclientexception: { type: 'authentication', status: 403 },
  invalidsignatureexception: { type: 'authentication', status: 403 },
  incompletesignatureexception: { type: 'authentication', status: 403 },
  missingauthenticationtokenexception: { type: 'authentication', status: 403 },
  expiredtokenexception: { type: 'authentication', status: 403 },
  resourcenotfoundexception: { type: 'not_found', status: 404 },
  throttlingexception: { type: 'rate_limit', status: 429 },
  servicequotaexceededexception: { type: 'rate_limit', status: 429 },
  // "The model is not ready to serve inference requests; retry": the retryable overloaded of the others.
  modelnotreadyexception: { type: 'overloaded', status: 429 },
  serviceunavailableexception: { type: 'overloaded', status: 503 },
  modeltimeoutexception: { type: 'timeout', status: 408 },
  modelerrorexception: { type: 'api_error', status: 424 },
  modelstreamerrorexception: { type: 'api_error', status: 424 },
  internalserverexception: { type: 'api_error', status: 500 },
};

/** `ValidationException:http://…` or `throttlingException` → `ValidationException` / `ThrottlingException`. */
export function exceptionName(raw: string | undefined): string | undefined {
  const name = raw?.split(':')[0]?.trim();
  if (!name) return undefined;
  return name[0]?.toUpperCase() + name.slice(1);
}

/** The message of an error body: `message` (or AWS's occasional `Message`), else the text itself. */
export function errorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() === '' ? undefined : body.trim().slice(0, 500);
  if (!body || typeof body !== 'object') return undefined;
  const { message, Message } = body as BedrockErrorBody;
  if (typeof message === 'string' && message) return message;
  if (typeof Message === 'string' && Message) return Message;
  return undefined;
}

/**
 * A Bedrock exception → ProviderError: the type from the exception's name (the HTTP status when the name is
 * unknown), the code is the name, the status the HTTP one when there was one (else the documented one;
 * always 429 for a rate limit).
 */
export function exceptionError(init: {
  name: string | undefined;
  message: string | undefined;
  status?: number;
  provider?: string;
  retryAfter?: number;
}): ProviderError {
  const name = exceptionName(init.name);
  const known = name ? EXCEPTIONS[name.toLowerCase()] : undefined;
  // A quota refusal comes as HTTP 400 but says "resubmit later": clients must see a 429 to wait and retry.
  const status = known?.type === 'rate_limit' ? 429 : (init.status ?? known?.status ?? 500);
  const type = known?.type ?? errorTypeForStatus(status);
  const message =
    init.status === undefined
      ? `bedrock failed during the stream: ${init.message ?? name ?? 'unknown error'}`
      : (init.message ??
        `upstream ${init.provider ?? 'bedrock'} answered HTTP ${status}${name ? ` (${name})` : ''}`);
  return new ProviderError({
    type,
    status,
    message,
    ...(name !== undefined && { code: name }),
    ...(init.provider !== undefined && { provider: init.provider }),
    ...(init.retryAfter !== undefined && { retryAfter: init.retryAfter }),
  });
}

/**
 * A non-2xx answer's body → ProviderError (`UpstreamDialect.parseError`). The body rarely names the exception
 * (`__type` / `code` when it does); the provider's `explainError` adds the `x-amzn-errortype` header's name.
 */
export function parseError(status: number, body: unknown, provider: string): ProviderError {
  const named = body && typeof body === 'object' ? (body as BedrockErrorBody) : undefined;
  const name = typeof named?.__type === 'string' ? named.__type.split('#').at(-1) : named?.code;
  return exceptionError({ name, message: errorMessage(body), status, provider });
}
