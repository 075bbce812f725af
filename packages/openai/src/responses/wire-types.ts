/**
 * The parts of OpenAI's Responses API wire format that this dialect reads and writes.
 * https://platform.openai.com/docs/api-reference/responses
 * Upstream bodies are untrusted: every field is optional and checked where it is read.
 */

export interface ResponsesUsage {
  input_tokens?: number;
  input_tokens_details?: { cached_tokens?: number } | null;
  output_tokens?: number;
  output_tokens_details?: { reasoning_tokens?: number } | null;
  total_tokens?: number;
}

/**
 * An error as the Responses API reports it: `response.error` (`{ code, message }`), the flat `error` stream
 * event (`{ code, message, param }`) or the nested one the API sends (`{ error: { type, code, message } }`).
 */
export interface ResponsesErrorObject {
  type?: string;
  code?: string | number | null;
  message?: string;
  param?: string | null;
}

export interface ResponsesContentPart {
  type?: string;
  text?: string;
  refusal?: string;
}

export interface ResponsesSummaryPart {
  type?: string;
  text?: string;
}

/** One item of `response.output` (message, function_call, reasoning, or a type canonical cannot carry). */
export interface ResponsesOutputItem {
  type?: string;
  id?: string;
  status?: string;
  role?: string;
  content?: ResponsesContentPart[] | null;
  call_id?: string;
  name?: string;
  arguments?: string;
  summary?: ResponsesSummaryPart[] | null;
  encrypted_content?: string | null;
}

/** The `response` object (non-streamed body, and inside the created / completed / failed events). */
export interface ResponsesResponse {
  id?: string;
  object?: string;
  model?: string;
  status?: string;
  output?: ResponsesOutputItem[] | null;
  usage?: ResponsesUsage | null;
  error?: ResponsesErrorObject | null;
  incomplete_details?: { reason?: string } | null;
}

/** One `data:` payload of a Responses stream. Fields depend on `type`. */
export interface ResponsesStreamEvent {
  type?: string;
  sequence_number?: number;
  response?: ResponsesResponse | null;
  output_index?: number;
  content_index?: number;
  summary_index?: number;
  item_id?: string;
  item?: ResponsesOutputItem | null;
  part?: ResponsesContentPart | null;
  delta?: string;
  text?: string;
  arguments?: string;
  refusal?: string;
  /** `error` events: flat fields, or the nested object the API sends. */
  code?: string | number | null;
  message?: string;
  param?: string | null;
  error?: ResponsesErrorObject | null;
}
