/**
 * How a `type: bedrock` provider authenticates, from its config and the environment, in this order:
 *
 * 1. `api_key`: a Bedrock API key, sent as `Authorization: Bearer …` (no signing).
 * 2. `access_key_id` + `secret_access_key` (+ `session_token`): SigV4 with these.
 * 3. `AWS_BEARER_TOKEN_BEDROCK` in the environment (as the AWS SDKs read it), unless `profile` is set.
 * 4. The AWS default credential chain (environment variables, `profile` or AWS_PROFILE in ~/.aws, SSO,
 *    web identity, container and instance roles), resolved on the first call.
 */
import type { AwsCredentials } from './cached-credentials.ts';

export type BedrockAuth =
  | { kind: 'bearer'; token: string; from: 'api_key' | 'AWS_BEARER_TOKEN_BEDROCK' }
  | { kind: 'static'; credentials: AwsCredentials }
  | { kind: 'chain'; profile?: string };

export interface AuthSettings {
  api_key?: string;
  access_key_id?: string;
  secret_access_key?: string;
  session_token?: string;
  profile?: string;
}

const given = (value: string | undefined): value is string => typeof value === 'string' && value !== '';

/** Throws an Error naming the options when they contradict each other. */
export function resolveAuth(
  settings: AuthSettings,
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): BedrockAuth {
  const hasKeys = given(settings.access_key_id) || given(settings.secret_access_key);
  if (given(settings.api_key)) {
    if (hasKeys || given(settings.profile)) {
      throw new Error(
        `providers.${name}.api_key (a Bedrock API key) cannot go with ${hasKeys ? 'access_key_id' : 'profile'}: choose one way to authenticate`,
      );
    }
    return { kind: 'bearer', token: settings.api_key, from: 'api_key' };
  }
  if (hasKeys) {
    if (!given(settings.access_key_id) || !given(settings.secret_access_key)) {
      throw new Error(`providers.${name}: access_key_id and secret_access_key go together`);
    }
    return {
      kind: 'static',
      credentials: {
        accessKeyId: settings.access_key_id,
        secretAccessKey: settings.secret_access_key,
        ...(given(settings.session_token) && { sessionToken: settings.session_token }),
      },
    };
  }
  const token = env.AWS_BEARER_TOKEN_BEDROCK;
  if (given(token) && !given(settings.profile)) {
    return { kind: 'bearer', token, from: 'AWS_BEARER_TOKEN_BEDROCK' };
  }
  return { kind: 'chain', ...(given(settings.profile) && { profile: settings.profile }) };
}
