/** The built-in wire dialects by name. */
import { anthropicMessages } from '@tokenpak/anthropic';
import { openaiChat } from '@tokenpak/openai';
import type { Dialect, DialectName } from '@tokenpak/provider';

export const dialects = Object.freeze({
  'openai-chat': openaiChat,
  'anthropic-messages': anthropicMessages,
}) satisfies Readonly<Record<DialectName, Dialect>>;

export function getDialect(name: DialectName): Dialect {
  const dialect = (dialects as Readonly<Record<DialectName, Dialect>>)[name];
  if (!dialect) throw new Error(`unknown dialect "${name}" (known: ${Object.keys(dialects).join(', ')})`);
  return dialect;
}
