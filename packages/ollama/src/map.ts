import type { FinishReason, Usage } from '@tokenpak/provider';
import type { OllamaChatChunk } from './wire-types.ts';

/** `done_reason` → canonical: `stop`, `length`; a turn with tool calls is `tool-calls`; anything else `other`. */
export function mapDoneReason(reason: string | undefined, sawToolCalls: boolean): FinishReason {
  if (sawToolCalls && (reason === undefined || reason === 'stop')) return 'tool-calls';
  if (reason === 'stop' || reason === undefined) return 'stop';
  if (reason === 'length') return 'length';
  return 'other';
}

/** `prompt_eval_count` → inputTokens, `eval_count` → outputTokens (absent figures stay absent). */
export function mapUsage(chunk: OllamaChatChunk): Usage {
  const usage: Usage = {};
  if (typeof chunk.prompt_eval_count === 'number') usage.inputTokens = chunk.prompt_eval_count;
  if (typeof chunk.eval_count === 'number') usage.outputTokens = chunk.eval_count;
  return usage;
}

/** JSON text of Ollama's arguments object (already a string on some servers: kept as is). */
export function argumentsText(args: unknown): string {
  if (typeof args === 'string') return args;
  return JSON.stringify(args ?? {});
}
