/**
 * `type: bedrock`: Amazon Bedrock Runtime's Converse (`POST {endpoint}/model/{modelId}/converse`) and
 * ConverseStream (`…/converse-stream`, AWS event-stream frames), with the provider kit's `createHttpProvider`:
 * the URL per call, the event-stream framer for the stream, SigV4 (or a Bedrock API key) per call, and the
 * `x-amzn-errortype` header read into errors.
 */
import type { Provider, ProviderConfigEntry, ProviderInit } from '@tokenpak/provider';
import { createHttpProvider, headerValue, parseBaseUrl, providerSecrets } from '@tokenpak/provider-utils';
import { type CredentialSource, cachedCredentials } from './auth/cached-credentials.ts';
import { defaultChain } from './auth/default-chain.ts';
import { type BedrockAuth, resolveAuth } from './auth/resolve-auth.ts';
import { createSigV4Signer } from './auth/sigv4-signer.ts';
import { bedrockConverse } from './dialect/bedrock-dialect.ts';
import { exceptionError } from './dialect/errors.ts';
import { bedrockEndpoint, modelPath, regionOfUrl } from './endpoint.ts';
import { eventStreamFramer } from './event-stream/event-stream-framer.ts';
import type { BedrockOptions } from './options.ts';

/** What a provider needs from outside its config (tests give their own). */
export interface BedrockEnvironment {
  /** Read for AWS_BEARER_TOKEN_BEDROCK. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where credentials come from when the config has none. Default: the AWS default chain. */
  defaultCredentials?: (profile: string | undefined) => CredentialSource;
}

/** The base URL (the region's endpoint by default) and the region (also read off a Bedrock base URL). */
function locate(name: string, region: string | undefined, baseUrl: string | undefined) {
  if (baseUrl !== undefined) return { baseUrl, region: region ?? regionOfUrl(baseUrl) };
  if (region !== undefined) return { baseUrl: bedrockEndpoint(region), region };
  throw new Error(
    `providers.${name}.region is required for type bedrock (e.g. region: us-east-1), unless base_url is given`,
  );
}

/**
 * The secrets of this entry (`providerSecrets`: its API key, auth-like headers, `secret_access_key` and
 * `session_token`), and the Bedrock API key when it comes from the environment (AWS_BEARER_TOKEN_BEDROCK).
 */
function secretsOf(config: ProviderConfigEntry, auth: BedrockAuth): string[] {
  const out = providerSecrets(config);
  if (auth.kind === 'bearer' && auth.from === 'AWS_BEARER_TOKEN_BEDROCK') out.push(auth.token);
  return out;
}

export function createBedrockProvider(
  { name, config }: ProviderInit,
  environment: BedrockEnvironment = {},
): Provider {
  const options = config as unknown as BedrockOptions;
  const { baseUrl, region } = locate(name, options.region, config.base_url);
  const base = parseBaseUrl(baseUrl, name);
  const auth = resolveAuth(
    {
      ...(typeof config.api_key === 'string' && { api_key: config.api_key }),
      ...(options.access_key_id !== undefined && { access_key_id: options.access_key_id }),
      ...(options.secret_access_key !== undefined && { secret_access_key: options.secret_access_key }),
      ...(options.session_token !== undefined && { session_token: options.session_token }),
      ...(options.profile !== undefined && { profile: options.profile }),
    },
    environment.env ?? process.env,
    name,
  );
  if (auth.kind !== 'bearer' && region === undefined) {
    throw new Error(
      `providers.${name}.region is required to sign requests to ${base.origin} (its host names no region)`,
    );
  }
  const sign =
    auth.kind === 'bearer' || region === undefined
      ? undefined
      : createSigV4Signer({
          region,
          provider: name,
          credentials:
            auth.kind === 'static'
              ? async () => auth.credentials
              : cachedCredentials((environment.defaultCredentials ?? defaultChain)(auth.profile)),
        });
  const extra = options.additional_model_request_fields;

  return createHttpProvider({
    name,
    type: 'bedrock',
    dialect: bedrockConverse,
    framer: eventStreamFramer,
    baseUrl,
    url: ({ model, stream }) => modelPath(base.path, model, stream) + base.search,
    config,
    headers: auth.kind === 'bearer' ? { authorization: `Bearer ${auth.token}` } : {},
    secrets: secretsOf(config, auth),
    // The config's fields go under the request's own (thinking, top_k win over a configured default).
    ...(extra && {
      body: (body) => ({
        ...body,
        additionalModelRequestFields: {
          ...extra,
          ...(body.additionalModelRequestFields as Record<string, unknown> | undefined),
        },
      }),
    }),
    ...(sign && { sign }),
    explainError: (error, call, answer) => {
      // The exception's name is in a header (`ValidationException:http://…`), not in the body.
      const named = headerValue(answer.headers, 'x-amzn-errortype');
      const typed = named
        ? exceptionError({
            name: named,
            // A body without a message left parseError only the status to say: the name says more.
            message: error.message.endsWith(`answered HTTP ${answer.status}`) ? undefined : error.message,
            status: answer.status,
            ...(error.provider !== undefined && { provider: error.provider }),
            ...(error.retryAfter !== undefined && { retryAfter: error.retryAfter }),
          })
        : error;
      // "Could not resolve the foundation model…", "The provided model identifier is invalid.": say which.
      const aboutModel = typed.type === 'not_found' || /model identifier|model id/i.test(typed.message);
      return aboutModel && !typed.message.includes(call.model)
        ? typed.with({ message: `${typed.message} (model '${call.model}')` })
        : typed;
    },
  });
}
