/**
 * `POST {base}/v1/messages/count_tokens` for an `anthropic` provider: one small JSON call (no stream, no
 * pool of its own), with the provider's headers and timeouts. Errors come back as ProviderErrors, redacted.
 */

import type { CallContext, ProviderConfigEntry, TokenCount } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { parseBaseUrl, redactError } from '@tokenpak/provider-utils';
import { anthropicMessages } from './messages/index.ts';
import { messagesPath } from './messages-url.ts';

export interface CountTokensSpec {
  name: string;
  baseUrl: string;
  config: ProviderConfigEntry;
  /** Every header of the call (auth, version, the config's `headers`), lower-case names. */
  headers: Record<string, string>;
  secrets: string[];
  /** When set, every call fails with this error (e.g. a missing API key). */
  configError?: ProviderError;
}

export function createCountTokens(
  spec: CountTokensSpec,
): (body: Record<string, unknown>, context: CallContext) => Promise<TokenCount> {
  const { origin } = parseBaseUrl(spec.baseUrl, spec.name);
  const url = origin + messagesPath(spec.baseUrl, spec.name, '/count_tokens');
  const fail = (error: ProviderError): never => {
    throw redactError(error, spec.secrets);
  };

  return async (body, context) => {
    if (spec.configError) throw spec.configError;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: spec.headers,
        body: JSON.stringify({ ...body, model: context.model }),
        signal: AbortSignal.any([context.signal, AbortSignal.timeout(spec.config.timeout_ms)]),
      });
    } catch (error) {
      const timedOut = (error as Error)?.name === 'TimeoutError';
      return fail(
        new ProviderError({
          type: timedOut ? 'timeout' : 'network',
          provider: spec.name,
          message: timedOut
            ? `upstream ${spec.name} did not answer count_tokens within ${spec.config.timeout_ms} ms`
            : `upstream ${spec.name} could not be reached for count_tokens: ${(error as Error)?.message}`,
          cause: error,
        }),
      );
    }
    const text = await response.text();
    if (!response.ok) return fail(anthropicMessages.parseError(response.status, text, spec.name));
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const count = parsed as TokenCount | undefined;
    if (typeof count?.input_tokens !== 'number') {
      return fail(
        new ProviderError({
          type: 'bad_upstream',
          provider: spec.name,
          message: `upstream ${spec.name} answered count_tokens without input_tokens`,
        }),
      );
    }
    return count;
  };
}
