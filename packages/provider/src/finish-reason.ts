/**
 * Why the model stopped. Each dialect maps its own reasons onto these:
 * OpenAI stop/length/tool_calls/content_filter; Anthropic end_turn/max_tokens/tool_use/stop_sequence/refusal/pause_turn.
 */
export type FinishReason =
  | 'stop'
  | 'stop-sequence'
  | 'length'
  | 'tool-calls'
  | 'content-filter'
  | 'refusal'
  | 'pause'
  | 'error'
  | 'other';
