// Public exports of @tokenpak/anthropic. Keep this file an export list only.
export { type AnthropicOptions, anthropicOptionsSchema } from './anthropic-options.ts';
export {
  ANTHROPIC_BASE_URL,
  ANTHROPIC_CLIENT_HEADERS,
  ANTHROPIC_VERSION,
  anthropicCallHeaders,
  createAnthropicProvider,
  pickAnthropicClientHeaders,
} from './anthropic-provider.ts';
export * from './messages/index.ts';
export { messagesPath } from './messages-url.ts';
export { anthropicPackage } from './provider-package.ts';
