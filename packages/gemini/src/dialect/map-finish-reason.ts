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

/**
 * Canonical → Gemini `finishReason`. Gemini says STOP for an answer that called functions and for a matched
 * stop sequence; a refusal (Anthropic's classifier) is SAFETY, as a content filter is; `pause` (Anthropic's
 * long-running server tools), `error` and `other` have no word of their own: OTHER.
 */
export function finishReasonToGemini(reason: FinishReason): string {
  switch (reason) {
    case 'stop':
    case 'stop-sequence':
    case 'tool-calls':
      return 'STOP';
    case 'length':
      return 'MAX_TOKENS';
    case 'content-filter':
    case 'refusal':
      return 'SAFETY';
    default:
      return 'OTHER';
  }
}
