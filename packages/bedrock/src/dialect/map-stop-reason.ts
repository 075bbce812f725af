import type { FinishReason } from '@tokenpak/provider';

/**
 * Bedrock's `stopReason` → canonical. A turn that called tools is `tool-calls` whatever the upstream said
 * (some models answer `end_turn` after a tool call).
 */
export function mapStopReason(reason: string | undefined, calledTools: boolean): FinishReason {
  if (calledTools && (reason === undefined || reason === 'end_turn' || reason === 'tool_use')) {
    return 'tool-calls';
  }
  switch (reason) {
    case 'end_turn':
      return 'stop';
    case 'tool_use':
      return 'tool-calls';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'stop_sequence':
      return 'stop-sequence';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content-filter';
    default:
      return 'other';
  }
}
