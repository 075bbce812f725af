// Public exports of @tokenpak/gemini. Keep this file an export list (and the package's default export).
import type { ProviderPackage } from '@tokenpak/provider';
import { createGeminiProvider } from './gemini-provider.ts';
import { type GeminiOptions, optionsSchema } from './options.ts';

export * from './dialect/index.ts';
export { createGeminiProvider, GEMINI_BASE_URL, modelsPath } from './gemini-provider.ts';
export { API_VERSIONS, type GeminiApiVersion, type GeminiOptions, optionsSchema } from './options.ts';

const geminiPackage: ProviderPackage<GeminiOptions> = {
  specificationVersion: 'v1',
  type: 'gemini',
  optionsSchema,
  create: createGeminiProvider,
};
export default geminiPackage;
