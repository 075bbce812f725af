/**
 * The parts of OpenAI's Chat Completions wire format that this dialect reads and writes.
 * Upstream bodies are untrusted: every field is optional and checked where it is read.
 */

export interface OpenAIUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number; audio_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number; audio_tokens?: number } | null;
  /** DeepSeek's own cache figures (it also sends prompt_tokens_details). */
  prompt_cache_hit_tokens?: number;
}

export interface OpenAIToolCallDelta {
  index?: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface OpenAIChunkDelta {
  role?: string;
  content?: string | null;
  refusal?: string | null;
  /** DeepSeek, vLLM, Azure model-router. */
  reasoning_content?: string | null;
  /** Groq, OpenRouter. */
  reasoning?: string | null;
  tool_calls?: OpenAIToolCallDelta[] | null;
  /** Deprecated single function call. */
  function_call?: { name?: string; arguments?: string } | null;
}

export interface OpenAIChunkChoice {
  index?: number;
  delta?: OpenAIChunkDelta | null;
  finish_reason?: string | null;
}

export interface OpenAIErrorObject {
  message?: string;
  type?: string;
  code?: string | number | null;
  param?: string | null;
  /** Groq adds the HTTP status it would have answered with. */
  status_code?: number;
}

/** One `data:` payload of a streamed `chat.completion.chunk` (or an error object sent instead). */
export interface OpenAIChunk {
  id?: string;
  object?: string;
  model?: string;
  choices?: OpenAIChunkChoice[] | null;
  usage?: OpenAIUsage | null;
  error?: OpenAIErrorObject | string;
}

export interface OpenAIToolCall {
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

export interface OpenAIResponseMessage {
  role?: string;
  content?: string | null;
  refusal?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: OpenAIToolCall[] | null;
  function_call?: { name?: string; arguments?: string } | null;
}

/** A non-streamed `chat.completion` body. */
export interface OpenAICompletion {
  id?: string;
  object?: string;
  model?: string;
  choices?: Array<{ index?: number; message?: OpenAIResponseMessage | null; finish_reason?: string | null }>;
  usage?: OpenAIUsage | null;
  error?: OpenAIErrorObject | string;
}
