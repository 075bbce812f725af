/**
 * Anthropic usage ⇄ canonical. Anthropic's `input_tokens` excludes the tokens read from or written to the
 * prompt cache; canonical `inputTokens` counts every input token (as OpenAI's prompt_tokens does), with
 * cacheReadTokens and cacheWriteTokens as parts of it.
 */
import type { Usage } from '@tokenpak/provider';
import type { AnthropicUsage } from './wire-types.ts';

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Keeps the raw figures seen so far in a stream, so that totals can be recomputed as parts arrive. */
export interface RawAnthropicUsage {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
}

/** Copies the counts present in `usage` over `into` (later figures win). */
export function absorbUsage(into: RawAnthropicUsage, usage: AnthropicUsage | undefined): void {
  if (!usage) return;
  const input = count(usage.input_tokens);
  if (input !== undefined) into.input = input;
  const output = count(usage.output_tokens);
  if (output !== undefined) into.output = output;
  const read = count(usage.cache_read_input_tokens);
  if (read !== undefined) into.cacheRead = read;
  const write = count(usage.cache_creation_input_tokens);
  if (write !== undefined) into.cacheWrite = write;
}

export function usageFromRaw(raw: RawAnthropicUsage): Usage {
  const out: Usage = {};
  if (raw.input !== undefined) out.inputTokens = raw.input + (raw.cacheRead ?? 0) + (raw.cacheWrite ?? 0);
  if (raw.output !== undefined) out.outputTokens = raw.output;
  if (raw.cacheRead !== undefined) out.cacheReadTokens = raw.cacheRead;
  if (raw.cacheWrite !== undefined) out.cacheWriteTokens = raw.cacheWrite;
  return out;
}

export function usageFromAnthropic(usage: AnthropicUsage | undefined): Usage {
  const raw: RawAnthropicUsage = {};
  absorbUsage(raw, usage);
  return usageFromRaw(raw);
}

/**
 * Canonical → Anthropic usage object. input_tokens is the uncached part; unknown input counts are 0
 * (an OpenAI upstream reports them only at the end), cache counts appear only when known.
 */
export function usageToAnthropic(usage: Usage): {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
} {
  const read = usage.cacheReadTokens;
  const write = usage.cacheWriteTokens;
  const input = Math.max(0, (usage.inputTokens ?? 0) - (read ?? 0) - (write ?? 0));
  const out: ReturnType<typeof usageToAnthropic> = {
    input_tokens: input,
    output_tokens: usage.outputTokens ?? 0,
  };
  if (write !== undefined) out.cache_creation_input_tokens = write;
  if (read !== undefined) out.cache_read_input_tokens = read;
  return out;
}
