/** Token counts. Every field is optional because providers report them at different moments. */
export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
  /** Input tokens read from the provider's prompt cache (part of, or in addition to, inputTokens: see dialect notes). */
  cacheReadTokens?: number;
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
