import type { WireEvent } from '@tokenpak/providers';
import { closeJsonArray, formatJsonArrayEvent, JSON_ARRAY_HEADERS } from './json-array-encoder.ts';
import { formatNdjsonEvent, NDJSON_HEADERS } from './ndjson-encoder.ts';
import { formatSseData, formatSseEvent, SSE_HEADERS, SSE_HEARTBEAT } from './sse-encoder.ts';

/**
 * How a streamed response is written: SSE (`text/event-stream`), NDJSON (`application/x-ndjson`), or one JSON
 * array written element by element (`application/json`, a framing a dialect's URL asks for: Gemini).
 */
export type FramingName = 'sse' | 'ndjson' | 'json-array';

export interface Framing {
  readonly name: FramingName;
  readonly headers: Readonly<Record<string, string>>;
  /** Text for one event (id counts from 1), or undefined when the framing leaves it out. */
  format(event: WireEvent, id: number): string | undefined;
  /** Keep-alive text, or undefined when the framing has none (NDJSON). */
  readonly heartbeat: string | undefined;
  /**
   * Text written after the last event (`written`: the events framed), when the framing has an end of its
   * own (the JSON array's `]`). Written once, whether the stream finished or failed with an error event.
   */
  close?(written: number): string;
}

export const SSE_FRAMING: Framing = {
  name: 'sse',
  headers: SSE_HEADERS,
  format: formatSseEvent,
  heartbeat: SSE_HEARTBEAT,
};

/** SSE without `id:` (or `event:`) lines, for a dialect whose clients read only `data:` (`Dialect.sseEventIds`). */
export const SSE_DATA_FRAMING: Framing = {
  name: 'sse',
  headers: SSE_HEADERS,
  format: formatSseData,
  heartbeat: SSE_HEARTBEAT,
};

export const NDJSON_FRAMING: Framing = {
  name: 'ndjson',
  headers: NDJSON_HEADERS,
  format: (event) => formatNdjsonEvent(event),
  heartbeat: undefined,
};

/** No heartbeat: any text before `[` or between elements would be for the client to skip, and some do not. */
export const JSON_ARRAY_FRAMING: Framing = {
  name: 'json-array',
  headers: JSON_ARRAY_HEADERS,
  format: formatJsonArrayEvent,
  heartbeat: undefined,
  close: closeJsonArray,
};
