/**
 * The AWS default credential chain (`fromNodeProviderChain` of @aws-sdk/credential-providers), imported on
 * first use only: a provider with an API key or static keys never loads it (it pulls in STS, SSO and IMDS
 * clients).
 */
import type { AwsCredentials, CredentialSource } from './cached-credentials.ts';

export function defaultChain(profile: string | undefined): CredentialSource {
  let chain: Promise<() => Promise<AwsCredentials>> | undefined;
  return async () => {
    chain ??= import('@aws-sdk/credential-providers').then(({ fromNodeProviderChain }) =>
      fromNodeProviderChain(profile === undefined ? {} : { profile }),
    );
    return (await chain)();
  };
}
