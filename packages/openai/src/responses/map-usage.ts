/**
 * Responses usage ⇄ canonical. `input_tokens` counts cached tokens (the canonical `inputTokens`);
 * `output_tokens` counts reasoning tokens (the canonical `outputTokens`).
 */
import type { Usage } from '@tokenpak/provider';
import type { ResponsesUsage } from './wire-types.ts';

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function usageFromResponses(usage: ResponsesUsage): Usage {
  const out: Usage = {};
  const input = count(usage.input_tokens);
  if (input !== undefined) out.inputTokens = input;
  const output = count(usage.output_tokens);
  if (output !== undefined) out.outputTokens = output;
  const cached = count(usage.input_tokens_details?.cached_tokens);
  if (cached !== undefined) out.cacheReadTokens = cached;
  const reasoning = count(usage.output_tokens_details?.reasoning_tokens);
  if (reasoning !== undefined) out.reasoningTokens = reasoning;
  return out;
}

/** The `usage` object the API always sends in full: unknown counts are 0. */
export interface ResponsesUsageOut {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export function usageToResponses(usage: Usage): ResponsesUsageOut {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.cacheReadTokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: input + output,
  };
}
