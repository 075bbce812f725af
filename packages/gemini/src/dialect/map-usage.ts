import type { Usage } from '@tokenpak/provider';
import type { GeminiUsageMetadata } from './wire-types.ts';

const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;

/**
 * `usageMetadata` → canonical usage. Gemini counts thoughts apart from the answer (`candidatesTokenCount`
 * excludes `thoughtsTokenCount`); canonical `outputTokens` includes reasoning, so it is their sum.
 * `promptTokenCount` already includes `cachedContentTokenCount` (→ `cacheReadTokens`).
 */
export function usageFromGemini(metadata: GeminiUsageMetadata | undefined): Usage {
  if (!metadata || typeof metadata !== 'object') return {};
  const usage: Usage = {};
  const prompt = count(metadata.promptTokenCount);
  const candidates = count(metadata.candidatesTokenCount);
  const thoughts = count(metadata.thoughtsTokenCount);
  const cached = count(metadata.cachedContentTokenCount);
  if (prompt !== undefined) usage.inputTokens = prompt;
  if (candidates !== undefined || thoughts !== undefined)
    usage.outputTokens = (candidates ?? 0) + (thoughts ?? 0);
  if (thoughts !== undefined) usage.reasoningTokens = thoughts;
  if (cached !== undefined) usage.cacheReadTokens = cached;
  return usage;
}

/**
 * Canonical usage → `usageMetadata`, the inverse of `usageFromGemini`: reasoning is counted apart
 * (`thoughtsTokenCount`, left out of `candidatesTokenCount`), cache reads are part of the prompt, and
 * `totalTokenCount` is prompt + candidates + thoughts.
 */
export function usageToGemini(usage: Usage): GeminiUsageMetadata {
  const prompt = usage.inputTokens ?? 0;
  const thoughts = usage.reasoningTokens ?? 0;
  const candidates = Math.max(0, (usage.outputTokens ?? 0) - thoughts);
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    totalTokenCount: prompt + candidates + thoughts,
    ...(thoughts > 0 && { thoughtsTokenCount: thoughts }),
    ...(usage.cacheReadTokens !== undefined && { cachedContentTokenCount: usage.cacheReadTokens }),
  };
}
