// Public exports of @tokenpak/mock. Keep this file an export list only.
export { MOCK_OPTIONS, MockOptionError, mockOptionsSchema } from './mock-options.ts';
export { createMockProvider } from './mock-provider.ts';
export { mockPackage } from './provider-package.ts';
