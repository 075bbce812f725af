/**
 * Ollama's native chat wire (https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion):
 * what `POST /api/chat` takes and what it answers, one object per NDJSON line when streamed.
 */

export interface OllamaToolCall {
  /** Sent by recent Ollama versions; older ones have none (an id is minted). */
  id?: string;
  function: {
    index?: number;
    name: string;
    /** A JSON object, not a JSON text (unlike OpenAI). */
    arguments: Record<string, unknown> | string;
  };
}

export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  thinking?: string;
  /** Base64 images, no data: prefix, no URLs. */
  images?: string[];
  tool_calls?: OllamaToolCall[];
  /** For a `tool` message: the name of the tool whose result this is. */
  tool_name?: string;
}

/** One line of a streamed answer, or the whole answer of `stream: false`. */
export interface OllamaChatChunk {
  model?: string;
  created_at?: string;
  message?: Partial<OllamaMessage>;
  done?: boolean;
  /** `stop`, `length`, `load`, `unload`... on the `done: true` line. */
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  total_duration?: number;
  /** A failure after the 200: `{"error": "..."}`. */
  error?: string | { message?: string };
}
