/** The wire dialects by name. */
import type { DialectName } from '../canonical/dialect-name.ts';
import { anthropicMessages } from './anthropic-messages/index.ts';
import type { Dialect } from './dialect.ts';
import { openaiChat } from './openai-chat/index.ts';

export const dialects: Readonly<Record<DialectName, Dialect>> = {
  'openai-chat': openaiChat,
  'anthropic-messages': anthropicMessages,
};

export function getDialect(name: DialectName): Dialect {
  const dialect = dialects[name];
  if (!dialect) throw new Error(`unknown dialect "${name}" (known: ${Object.keys(dialects).join(', ')})`);
  return dialect;
}
