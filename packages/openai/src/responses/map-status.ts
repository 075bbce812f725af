/**
 * Finish reasons ⇄ the Responses `status` and `incomplete_details.reason`.
 *
 * In: `completed` → 'tool-calls' when the answer called a function, else 'stop'; `incomplete` with
 * `max_output_tokens` → 'length', with `content_filter` → 'content-filter', with anything else → 'other'.
 * Out: 'length' → incomplete / max_output_tokens; 'content-filter' and Anthropic's 'refusal' (its classifier
 * stopped the answer) → incomplete / content_filter; 'error' → failed; everything else → completed
 * (the Responses API has no word for stop sequences or pauses).
 */
import type { FinishReason } from '@tokenpak/provider';

export type ResponsesStatus = 'completed' | 'incomplete' | 'failed';

export interface StatusOut {
  status: ResponsesStatus;
  incompleteReason?: 'max_output_tokens' | 'content_filter';
}

export function finishReasonFromStatus(
  status: string | undefined,
  incompleteReason: string | undefined,
  calledTools: boolean,
): FinishReason {
  if (status === 'incomplete') {
    if (incompleteReason === 'max_output_tokens') return 'length';
    if (incompleteReason === 'content_filter') return 'content-filter';
    return 'other';
  }
  if (status === 'failed') return 'error';
  return calledTools ? 'tool-calls' : 'stop';
}

export function statusFromFinishReason(reason: FinishReason): StatusOut {
  switch (reason) {
    case 'length':
      return { status: 'incomplete', incompleteReason: 'max_output_tokens' };
    case 'content-filter':
    case 'refusal':
      return { status: 'incomplete', incompleteReason: 'content_filter' };
    case 'error':
      return { status: 'failed' };
    default:
      return { status: 'completed' };
  }
}
