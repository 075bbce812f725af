/**
 * SigV4 for one call, with AWS's own signer (`SignatureV4` of @smithy/signature-v4, SHA-256 from
 * @aws-crypto/sha256-js): it signs exactly what `createHttpProvider` sends (method, the full URL, every header
 * plus `host`, and the body text) and returns those headers with `authorization`, `x-amz-date`,
 * `x-amz-content-sha256` (the body's hash) and, for temporary credentials, `x-amz-security-token`.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { ProviderError } from '@tokenpak/provider';
import type { OutgoingRequest } from '@tokenpak/provider-utils';
import type { CredentialSource } from './cached-credentials.ts';

/** Bedrock Runtime's signing name (the endpoint is bedrock-runtime, the SigV4 service is bedrock). */
export const SIGNING_SERVICE = 'bedrock';

export interface SigV4SignerInit {
  region: string;
  credentials: CredentialSource;
  /** Provider name, for the error when no credentials can be found. */
  provider: string;
}

export function createSigV4Signer(
  init: SigV4SignerInit,
): (request: OutgoingRequest) => Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: SIGNING_SERVICE,
    region: init.region,
    sha256: Sha256,
    credentials: async () => {
      try {
        return await init.credentials();
      } catch (cause) {
        throw new ProviderError({
          type: 'authentication',
          provider: init.provider,
          code: 'missing_aws_credentials',
          message:
            `provider ${init.provider} found no AWS credentials to sign with (${(cause as Error)?.message}): ` +
            'set api_key (a Bedrock API key), access_key_id and secret_access_key, or AWS credentials in the ' +
            'environment or a profile',
          cause,
        });
      }
    },
  });
  return async (request) => {
    const { url } = request;
    const query: Record<string, string> = {};
    for (const [key, value] of url.searchParams) query[key] = value;
    const signed = await signer.sign({
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port !== '' && { port: Number(url.port) }),
      path: url.pathname,
      query,
      // `host` is signed, so it is sent as signed (the HTTP client would send the same value).
      headers: { ...request.headers, host: url.host },
      body: request.body,
    });
    return signed.headers;
  };
}
