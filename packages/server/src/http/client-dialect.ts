/**
 * Which error and list shapes a client reads on routes that both SDKs call (`/v1/models`, unknown paths):
 * Anthropic's SDK sends `anthropic-version` on every request; anything else gets OpenAI's shapes.
 */
import type { ClientDialectName } from '../app-context.ts';

export function clientDialect(headers: Headers): ClientDialectName {
  return headers.has('anthropic-version') ? 'anthropic-messages' : 'openai-chat';
}
