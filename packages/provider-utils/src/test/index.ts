// Public exports of @tokenpak/provider-utils/test: the kit for testing a provider package.
export * from './assert-canonical-order.ts';
export * from './call-context.ts';
export * from './collect-events.ts';
export * from './fake-upstream.ts';
export * from './fixture-upstream.ts';
export * from './load-fixture.ts';
export * from './replay-modes.ts';
export * from './seeded-random.ts';
