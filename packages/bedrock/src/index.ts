// Public exports of @tokenpak/bedrock. Keep this file an export list (and the package's default export).
import type { ProviderPackage } from '@tokenpak/provider';
import { type BedrockOptions, optionsSchema } from './options.ts';
import { createBedrockProvider } from './provider.ts';

export { type AwsCredentials, type CredentialSource, cachedCredentials } from './auth/cached-credentials.ts';
export { type BedrockAuth, resolveAuth } from './auth/resolve-auth.ts';
export { createSigV4Signer, SIGNING_SERVICE } from './auth/sigv4-signer.ts';
export * from './dialect/index.ts';
export { bedrockEndpoint, encodeModelId, modelPath, regionOfUrl } from './endpoint.ts';
export { type EventStreamMessage, eventStreamFramer } from './event-stream/event-stream-framer.ts';
export { type BedrockOptions, OPTION_NAMES, optionsSchema, REGION_PATTERN } from './options.ts';
export { type BedrockEnvironment, createBedrockProvider } from './provider.ts';

const bedrock: ProviderPackage<BedrockOptions> = {
  specificationVersion: 'v1',
  type: 'bedrock',
  optionsSchema,
  create: (init) => createBedrockProvider(init),
};
export default bedrock;
