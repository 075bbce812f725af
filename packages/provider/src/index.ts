// Public exports of @tokenpak/provider, the specification. Keep this file an export list only.
export * from './common-provider-keys.ts';
export type * from './dialect.ts';
export type * from './dialect-name.ts';
export * from './errors.ts';
export * from './events.ts';
export type * from './finish-reason.ts';
export type * from './passthrough.ts';
export type * from './provider.ts';
export * from './reasoning-signature.ts';
export type * from './request.ts';
export type * from './response.ts';
export * from './specification-version.ts';
export type * from './sse-message.ts';
export * from './stream-stage.ts';
export * from './untranslatable.ts';
export * from './usage.ts';
