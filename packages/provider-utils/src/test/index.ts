// Public exports of @tokenpak/provider-utils/test: the kit for testing a provider package.
export * from './call-context.ts';
export * from './fake-upstream.ts';
