/**
 * The event type handed to callers, and what the client reads in an event: is it the stream's proper end,
 * a failure, and which text delta does it carry. Dialect knowledge is limited to the markers of the
 * protocol (see README.md, "The protocol").
 */

/** One event of a TokenPak stream, as it was on the wire. */
export interface StreamEvent {
  /** The SSE `id:` of this event (1, 2, 3…); undefined for NDJSON lines and events without an id line. */
  id?: number;
  /** The SSE `event:` name (Anthropic and Responses name their events; OpenAI Chat does not). */
  event?: string;
  /** The SSE `data:` payload (lines joined with `\n`), or one NDJSON line. */
  data: string;
  /** `data` parsed as JSON when it is a JSON object or array; undefined otherwise (e.g. `[DONE]`). */
  json?: unknown;
}

/**
 * What an event means for the end of the stream:
 * - 'end': the proper end; nothing follows.
 * - 'soft-end': an end that may still be followed by a few lines (an OpenAI Chat chunk with a
 *   `finish_reason`, which a usage chunk may follow in NDJSON); a clean close after it is a proper end.
 * - 'error': an in-band failure (an `error` event, a JSON with a top-level `error`, `response.failed`).
 * - undefined: an ordinary event.
 */
export type EventEnd = 'end' | 'soft-end' | 'error' | undefined;

const TERMINAL_TYPES = new Set(['message_stop', 'response.completed', 'response.incomplete']);

/** Parses `data` when it looks like a JSON object or array; undefined when it does not or is not JSON. */
export function parseJson(data: string): unknown {
  const first = data.charCodeAt(firstNonSpace(data));
  // '{' or '['
  if (first !== 123 && first !== 91) return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

function firstNonSpace(text: string): number {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    i++;
  }
  return i;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Classifies one event (SSE or NDJSON) as the end, a failure, or an ordinary event. */
export function classifyEvent(event: StreamEvent): EventEnd {
  if (event.event === 'error') return 'error';
  if (event.data === '[DONE]') return 'end';
  const json = event.json;
  if (!isObject(json)) return event.event === 'message_stop' ? 'end' : undefined;
  if (json.error !== undefined && json.error !== null) return 'error';
  const type = typeof json.type === 'string' ? json.type : event.event;
  if (type === 'error' || type === 'response.failed') return 'error';
  if (type !== undefined && TERMINAL_TYPES.has(type)) return 'end';
  const choices = json.choices;
  if (Array.isArray(choices)) {
    for (const choice of choices) {
      if (isObject(choice) && choice.finish_reason !== undefined && choice.finish_reason !== null) {
        return 'soft-end';
      }
    }
  }
  return undefined;
}

/**
 * The text delta an event carries, for the three dialects: OpenAI Chat `choices[0].delta.content` (the
 * choice with index 0), Anthropic `content_block_delta` with a `text_delta`, Responses
 * `response.output_text.delta`. Undefined for every other event.
 */
export function textDelta(event: StreamEvent): string | undefined {
  const json = event.json;
  if (!isObject(json)) return undefined;
  const type = json.type;
  if (type === 'content_block_delta') {
    const delta = json.delta;
    return isObject(delta) && delta.type === 'text_delta' && typeof delta.text === 'string'
      ? delta.text
      : undefined;
  }
  if (type === 'response.output_text.delta') {
    return typeof json.delta === 'string' ? json.delta : undefined;
  }
  const choices = json.choices;
  if (!Array.isArray(choices)) return undefined;
  for (const choice of choices) {
    if (!isObject(choice) || (choice.index !== undefined && choice.index !== 0)) continue;
    const delta = choice.delta;
    if (isObject(delta) && typeof delta.content === 'string') return delta.content;
    return undefined;
  }
  return undefined;
}

/** A short human description of an in-band failure event, for the error message. */
export function describeFailure(event: StreamEvent): string {
  const json = event.json;
  if (isObject(json)) {
    const message =
      messageOf(json.error) ?? (isObject(json.response) ? messageOf(json.response.error) : undefined);
    if (message !== undefined) return message;
    if (typeof json.message === 'string') return json.message;
  }
  return event.data.length > 200 ? event.data.slice(0, 200) + '…' : event.data;
}

function messageOf(error: unknown): string | undefined {
  if (typeof error === 'string') return error;
  if (!isObject(error)) return undefined;
  const message = typeof error.message === 'string' ? error.message : undefined;
  const kind =
    typeof error.type === 'string' ? error.type : typeof error.code === 'string' ? error.code : undefined;
  if (message !== undefined && kind !== undefined) return kind + ': ' + message;
  return message ?? kind;
}
