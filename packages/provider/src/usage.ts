/** Token counts. Every field is optional because providers report them at different moments. */
export interface Usage {
  /**
   * All input tokens of the request, cache reads and cache writes included (OpenAI `prompt_tokens`;
   * Anthropic `input_tokens + cache_read_input_tokens + cache_creation_input_tokens`).
   */
  inputTokens?: number;
  outputTokens?: number;
  /** Input tokens read from the provider's prompt cache (part of inputTokens). */
  cacheReadTokens?: number;
  /** Input tokens written to the provider's prompt cache (part of inputTokens). */
  cacheWriteTokens?: number;
  /** Output tokens spent on hidden reasoning (part of outputTokens). */
  reasoningTokens?: number;
}

/** Merges later usage figures over earlier ones (a field reported later wins). */
export function mergeUsage(base: Usage | undefined, next: Usage | undefined): Usage {
  const out: Usage = { ...base };
  if (next) {
    for (const key of Object.keys(next) as Array<keyof Usage>) {
      const value = next[key];
      if (value !== undefined) out[key] = value;
    }
  }
  return out;
}
