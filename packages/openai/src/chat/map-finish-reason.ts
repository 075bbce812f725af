import type { FinishReason } from '@tokenpak/provider';

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** OpenAI `finish_reason` → canonical. Unknown values (other providers' own words) become 'other'. */
export function mapOpenAIFinishReason(reason: string): FinishReason {
  switch (reason) {
    case 'stop':
    case 'eos':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}

/**
 * Canonical → OpenAI `finish_reason`. OpenAI has four words, so: a matched stop sequence is 'stop';
 * Anthropic's `refusal` (its classifier stopped the answer) is 'content_filter'; `pause_turn`, errors and
 * anything else end the turn normally as 'stop'.
 */
export function toOpenAIFinishReason(reason: FinishReason): OpenAIFinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'tool-calls':
      return 'tool_calls';
    case 'content-filter':
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}
