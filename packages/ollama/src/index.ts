// Public exports of @tokenpak/ollama. Keep this file an export list (and the package object) only.
import type { ProviderPackage } from '@tokenpak/provider';
import { type OllamaOptions, optionsSchema } from './options.ts';
import { createOllamaProvider } from './provider.ts';

export { buildRequest, ollamaThink } from './build-request.ts';
export { createStreamDecoder } from './decode-stream.ts';
export { OLLAMA_DIALECT, ollamaChat } from './dialect.ts';
export { parseError, streamError } from './errors.ts';
export { type OllamaOptions, optionsSchema } from './options.ts';
export { parseResponse } from './parse-response.ts';
export { chatPath, createOllamaProvider, OLLAMA_BASE_URL } from './provider.ts';
export type * from './wire-types.ts';

const ollama = {
  specificationVersion: 'v1',
  type: 'ollama',
  optionsSchema,
  create: createOllamaProvider,
} satisfies ProviderPackage<OllamaOptions>;

export default ollama;
