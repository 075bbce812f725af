/** Upstream body adjustments for OpenAI-dialect providers. */
import type { CanonicalRequest } from '@tokenpak/provider';

/** Asks for usage in streams (`stream_options.include_usage: true`), so usage is never lost. */
export function forceStreamUsage(body: Record<string, unknown>, stream: boolean): void {
  if (!stream) return;
  const options = body.stream_options;
  if (
    options !== null &&
    typeof options === 'object' &&
    (options as Record<string, unknown>).include_usage === true
  ) {
    return;
  }
  body.stream_options = { ...(options as object | undefined), include_usage: true };
}

/** Removes `stream_options` for servers that reject it (openai-compatible `include_usage: false`). */
export function dropStreamOptions(body: Record<string, unknown>): void {
  delete body.stream_options;
}

/**
 * OpenAI's reasoning models (o-series, gpt-5) refuse `max_tokens`, and every current OpenAI chat model takes
 * `max_completion_tokens`: a request from another dialect sends that name. An OpenAI client's own choice is
 * kept. Other OpenAI-compatible servers (vLLM, Ollama, Groq) expect `max_tokens`, so only `type: openai`
 * applies this.
 */
export function preferMaxCompletionTokens(body: Record<string, unknown>, request: CanonicalRequest): void {
  if (request.sourceDialect === 'openai-chat' || !('max_tokens' in body)) return;
  body.max_completion_tokens = body.max_tokens;
  delete body.max_tokens;
}
