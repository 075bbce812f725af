/** `type: mock` as a provider package: its options schema (the same checks as the provider's) and factory. */
import type { ProviderPackage } from '@tokenpak/provider';
import { mockOptionsSchema } from './mock-options.ts';
import { createMockProvider } from './mock-provider.ts';

export const mockPackage: ProviderPackage = {
  specificationVersion: 'v1',
  type: 'mock',
  optionsSchema: mockOptionsSchema,
  create: createMockProvider,
};
