/**
 * The request fields a `response` object repeats (https://platform.openai.com/docs/api-reference/responses/object):
 * what the client sent, when the encoder is given its request (`EncodeStreamOptions.request`), so that an
 * answer served by any upstream reads as OpenAI's would: `instructions`, `temperature`, `tools`, `metadata`,
 * `previous_response_id`, `store`... Fields the client did not send keep the object's neutral values.
 */
import type { CanonicalRequest } from '@tokenpak/provider';

const ECHOED = [
  'instructions',
  'max_output_tokens',
  'max_tool_calls',
  'metadata',
  'parallel_tool_calls',
  'previous_response_id',
  'prompt_cache_key',
  'reasoning',
  'safety_identifier',
  'service_tier',
  'temperature',
  'text',
  'tool_choice',
  'tools',
  'top_logprobs',
  'top_p',
  'truncation',
  'user',
] as const;

export function requestEcho(request: CanonicalRequest | undefined): Record<string, unknown> {
  const raw = request?.sourceDialect === 'openai-responses' ? request.raw : undefined;
  if (raw === undefined) return {};
  const echo: Record<string, unknown> = {};
  for (const key of ECHOED) if (raw[key] !== undefined) echo[key] = raw[key];
  if (typeof raw.reasoning === 'object' && raw.reasoning !== null) {
    echo.reasoning = { effort: null, summary: null, ...(raw.reasoning as Record<string, unknown>) };
  }
  // OpenAI keeps a response unless told not to (TokenPak does the same for the upstreams that keep nothing).
  echo.store = raw.store !== false;
  return echo;
}
