import type { WireEvent } from '@tokenpak/providers';
import { formatNdjsonEvent, NDJSON_HEADERS } from './ndjson-encoder.ts';
import { formatSseEvent, SSE_HEADERS, SSE_HEARTBEAT } from './sse-encoder.ts';

/** How a streamed response is written: SSE (`text/event-stream`) or NDJSON (`application/x-ndjson`). */
export type FramingName = 'sse' | 'ndjson';

export interface Framing {
  readonly name: FramingName;
  readonly headers: Readonly<Record<string, string>>;
  /** Text for one event (id counts from 1), or undefined when the framing leaves it out. */
  format(event: WireEvent, id: number): string | undefined;
  /** Keep-alive text, or undefined when the framing has none (NDJSON). */
  readonly heartbeat: string | undefined;
}

export const SSE_FRAMING: Framing = {
  name: 'sse',
  headers: SSE_HEADERS,
  format: formatSseEvent,
  heartbeat: SSE_HEARTBEAT,
};

export const NDJSON_FRAMING: Framing = {
  name: 'ndjson',
  headers: NDJSON_HEADERS,
  format: (event) => formatNdjsonEvent(event),
  heartbeat: undefined,
};
