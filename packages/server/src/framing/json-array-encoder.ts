/**
 * A stream written as one JSON array, element by element: `[` before the first event, `,\r\n` before each
 * next one, `]` at the end. This is Gemini's `:streamGenerateContent` without `alt=sse`: a client reads the
 * body whole (or element by element, at each `,\r\n`) and gets a valid JSON array of events. Payloads are
 * single-line JSON (the encoders write them with JSON.stringify); sentinels such as `[DONE]` are left out.
 */
import type { WireEvent } from '@tokenpak/providers';

export const JSON_ARRAY_SEPARATOR = ',\r\n';

/** The text for event number `id` (from 1), or undefined for a sentinel. */
export function formatJsonArrayEvent(event: WireEvent, id: number): string | undefined {
  if (event.sentinel) return undefined;
  return (id === 1 ? '[' : JSON_ARRAY_SEPARATOR) + event.data;
}

/** The text that ends the array after `written` events. */
export function closeJsonArray(written: number): string {
  return written === 0 ? '[]' : ']';
}

export const JSON_ARRAY_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
};
