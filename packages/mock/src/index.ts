// Public exports of @tokenpak/mock. Keep this file an export list only.
export { createMockProvider } from './mock-provider.ts';
