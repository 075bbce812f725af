/** Upstream body adjustments for OpenAI-dialect providers: each returns the body to send, a new object. */
import type { CanonicalRequest } from '@tokenpak/provider';

/** Asks for usage in streams (`stream_options.include_usage: true`), so usage is never lost. */
export function forceStreamUsage(
  body: Record<string, unknown>,
  call: { stream: boolean },
): Record<string, unknown> {
  if (!call.stream) return body;
  const options = body.stream_options;
  if (
    options !== null &&
    typeof options === 'object' &&
    (options as Record<string, unknown>).include_usage === true
  ) {
    return body;
  }
  return { ...body, stream_options: { ...(options as object | undefined), include_usage: true } };
}

/** Removes `stream_options` for servers that reject it (openai-compatible `include_usage: false`). */
export function dropStreamOptions(body: Record<string, unknown>): Record<string, unknown> {
  if (!('stream_options' in body)) return body;
  const { stream_options: _dropped, ...rest } = body;
  return rest;
}

/**
 * OpenAI's reasoning models (o-series, gpt-5) refuse `max_tokens`, and every current OpenAI chat model takes
 * `max_completion_tokens`: a request from another dialect sends that name. An OpenAI client's own choice is
 * kept. Other OpenAI-compatible servers (vLLM, Ollama, Groq) expect `max_tokens`, so only `type: openai`
 * applies this.
 */
export function preferMaxCompletionTokens(
  body: Record<string, unknown>,
  request: CanonicalRequest,
): Record<string, unknown> {
  if (request.sourceDialect === 'openai-chat' || !('max_tokens' in body)) return body;
  const { max_tokens, ...rest } = body;
  return { ...rest, max_completion_tokens: max_tokens };
}
