import type { Usage } from '@tokenpak/provider';
import type { BedrockUsage } from './wire-types.ts';

const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;

/**
 * Bedrock usage → canonical. Bedrock's `inputTokens` leaves out the cache's tokens (`totalTokens` is input +
 * output + cache read + cache write), while canonical `inputTokens` counts every input token: they are added.
 */
export function mapUsage(usage: BedrockUsage | undefined): Usage {
  if (!usage || typeof usage !== 'object') return {};
  const input = count(usage.inputTokens);
  const output = count(usage.outputTokens);
  const cacheRead = count(usage.cacheReadInputTokens);
  const cacheWrite = count(usage.cacheWriteInputTokens);
  const out: Usage = {};
  if (input !== undefined || cacheRead !== undefined || cacheWrite !== undefined) {
    out.inputTokens = (input ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0);
  }
  if (output !== undefined) out.outputTokens = output;
  if (cacheRead !== undefined) out.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) out.cacheWriteTokens = cacheWrite;
  return out;
}
