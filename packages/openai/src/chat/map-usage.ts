import type { Usage } from '@tokenpak/provider';
import type { OpenAIUsage } from './wire-types.ts';

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * OpenAI usage → canonical. `prompt_tokens` already counts cached tokens, which is the canonical meaning of
 * inputTokens; reasoning tokens are part of completion_tokens, as canonical outputTokens.
 */
export function usageFromOpenAI(usage: OpenAIUsage): Usage {
  const out: Usage = {};
  const input = count(usage.prompt_tokens);
  if (input !== undefined) out.inputTokens = input;
  const output = count(usage.completion_tokens);
  if (output !== undefined) out.outputTokens = output;
  const cached = count(usage.prompt_tokens_details?.cached_tokens) ?? count(usage.prompt_cache_hit_tokens);
  if (cached !== undefined) out.cacheReadTokens = cached;
  const reasoning = count(usage.completion_tokens_details?.reasoning_tokens);
  if (reasoning !== undefined) out.reasoningTokens = reasoning;
  return out;
}

/** Canonical usage → OpenAI's `usage` object (missing counts are 0; details only when known). */
export function usageToOpenAI(usage: Usage): OpenAIUsage {
  const prompt = usage.inputTokens ?? 0;
  const completion = usage.outputTokens ?? 0;
  const out: OpenAIUsage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
  if (usage.cacheReadTokens !== undefined)
    out.prompt_tokens_details = { cached_tokens: usage.cacheReadTokens };
  if (usage.reasoningTokens !== undefined) {
    out.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  }
  return out;
}
