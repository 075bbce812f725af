// Public exports of @tokenpak/providers: the registry, and the built-in packages it resolves types to.
// Keep this file an export list only.
export * from '@tokenpak/anthropic';
// The Gemini dialect for the server's Gemini routes (its model list and token count shapes with it); the rest
// of @tokenpak/gemini (its builder, decoder…) shares names with the other dialects' exports.
export {
  GEMINI_DIALECT,
  type GeminiModel,
  geminiDialect,
  geminiModel,
  geminiModelList,
  geminiTokenCount,
} from '@tokenpak/gemini';
export * from '@tokenpak/mock';
export * from '@tokenpak/openai';
export * from '@tokenpak/provider';
export * from '@tokenpak/provider-utils';
export { dialects, getDialect } from './dialects.ts';
export type { ProviderRegistry, ProviderRegistryOptions } from './registry/create-provider-registry.ts';
export { builtinProviderPackages, createProviderRegistry } from './registry/create-provider-registry.ts';
export type { ImportModule, LoadedProviderPackage } from './registry/load-provider-package.ts';
export { isStandardSchema, loadProviderPackage } from './registry/load-provider-package.ts';
export type { ProviderOptionIssue, ProviderOptionsResult } from './registry/provider-options.ts';
export {
  COMMON_PROVIDER_KEYS,
  optionPath,
  providerOptions,
  validateProviderOptions,
} from './registry/provider-options.ts';
export { ProviderSetupError } from './registry/provider-setup-error.ts';
