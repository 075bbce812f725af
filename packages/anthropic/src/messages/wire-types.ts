/**
 * The parts of Anthropic's Messages API wire format that this dialect reads and writes.
 * Upstream bodies are untrusted: fields are optional here and checked where they are read.
 */

export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

export type AnthropicContentBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: string; [field: string]: unknown };

export interface AnthropicMessage {
  id?: string;
  type?: 'message';
  role?: 'assistant';
  model?: string;
  content?: AnthropicContentBlock[];
  stop_reason?: string | null;
  stop_sequence?: string | null;
  usage?: AnthropicUsage;
}

export interface AnthropicErrorBody {
  type?: 'error';
  error?: { type?: string; message?: string };
  request_id?: string;
}

/** The delta of a `content_block_delta` event. */
export interface AnthropicBlockDelta {
  type?: string;
  text?: string;
  partial_json?: string;
  thinking?: string;
  signature?: string;
}

/** One streamed event's JSON (`data:`); `type` repeats the SSE `event:` name. */
export interface AnthropicStreamEvent {
  type?: string;
  message?: AnthropicMessage;
  index?: number;
  content_block?: { type?: string; [field: string]: unknown };
  delta?: AnthropicBlockDelta & { stop_reason?: string | null; stop_sequence?: string | null };
  usage?: AnthropicUsage;
  error?: { type?: string; message?: string };
}
