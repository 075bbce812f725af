/**
 * Chooses the framing of a stream. A dialect whose URL names it (Gemini: `alt=sse` → SSE, else a JSON array)
 * gets that one; otherwise the Accept header chooses SSE or NDJSON. Each must be on in `streaming.formats`
 * (the JSON array counts as `chunked`, the non-SSE format), else 406. SSE is written without `id:` lines for
 * a dialect whose clients read only `data:` (`Dialect.sseEventIds: false`).
 */
import { ProviderError, type StreamFraming } from '@tokenpak/providers';
import type { StreamingConfig } from '../config-types.ts';
import {
  type Framing,
  JSON_ARRAY_FRAMING,
  NDJSON_FRAMING,
  SSE_DATA_FRAMING,
  SSE_FRAMING,
} from '../framing/framing.ts';

export interface ClientWire {
  /** The framing the request's URL asks for (`Dialect.readTarget`), if it names one. */
  framing?: StreamFraming;
  /** Whether the client reads SSE `id:` lines (`Dialect.sseEventIds`; default true). */
  eventIds?: boolean;
}

export function negotiateFraming(
  accept: string | null,
  streaming: StreamingConfig,
  wire: ClientWire = {},
): Framing {
  const sseOn = streaming.formats.includes('sse');
  const ndjsonOn = streaming.formats.includes('chunked');
  const sse = wire.eventIds === false ? SSE_DATA_FRAMING : SSE_FRAMING;
  if (wire.framing === 'json-array') {
    if (ndjsonOn) return JSON_ARRAY_FRAMING;
    throw new ProviderError({
      type: 'not_acceptable',
      message:
        'Chunked JSON streaming is turned off on this server: ' +
        `streaming.formats is [${streaming.formats.join(', ')}]. Ask for SSE instead (alt=sse).`,
    });
  }
  const wantsNdjson = wire.framing === 'ndjson' || accept?.includes('application/x-ndjson') === true;
  const wantsSse = wire.framing === 'sse' || accept?.includes('text/event-stream') === true;
  if (wantsNdjson && wire.framing !== 'sse') {
    if (ndjsonOn) return NDJSON_FRAMING;
    if (wantsSse && sseOn) return sse;
    throw new ProviderError({
      type: 'not_acceptable',
      message:
        'Chunked NDJSON streaming (Accept: application/x-ndjson) is turned off on this server: ' +
        `streaming.formats is [${streaming.formats.join(', ')}]. Ask for text/event-stream instead.`,
    });
  }
  if (sseOn) return sse;
  throw new ProviderError({
    type: 'not_acceptable',
    message:
      'SSE streaming (text/event-stream) is turned off on this server: ' +
      `streaming.formats is [${streaming.formats.join(', ')}]. Send Accept: application/x-ndjson for chunked NDJSON.`,
  });
}
