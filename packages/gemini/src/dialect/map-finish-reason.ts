import type { FinishReason } from '@tokenpak/provider';

const CONTENT_FILTER = new Set([
  'SAFETY',
  'RECITATION',
  'PROHIBITED_CONTENT',
  'BLOCKLIST',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/**
 * Gemini `finishReason` → canonical. STOP becomes `tool-calls` when the answer called functions (Gemini
 * says STOP either way). Gemini does not say whether a stop sequence matched: that is `stop` too.
 */
export function finishReasonFromGemini(reason: string, calledTools: boolean): FinishReason {
  if (reason === 'STOP') return calledTools ? 'tool-calls' : 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  if (CONTENT_FILTER.has(reason)) return 'content-filter';
  if (calledTools) return 'tool-calls';
  return 'other';
}
