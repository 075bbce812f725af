/** The built-in wire dialects by name: every one is a client dialect the server serves, and an upstream one. */
import { anthropicMessages } from '@tokenpak/anthropic';
import { geminiDialect } from '@tokenpak/gemini';
import { openaiChat, openaiResponses } from '@tokenpak/openai';
import type { Dialect, DialectName } from '@tokenpak/provider';

export const dialects = Object.freeze({
  'openai-chat': openaiChat,
  'anthropic-messages': anthropicMessages,
  'openai-responses': openaiResponses,
  gemini: geminiDialect,
}) satisfies Readonly<Record<DialectName, Dialect>>;

export function getDialect(name: DialectName): Dialect {
  const dialect = (dialects as Readonly<Record<DialectName, Dialect>>)[name];
  if (!dialect) throw new Error(`unknown dialect "${name}" (known: ${Object.keys(dialects).join(', ')})`);
  return dialect;
}
