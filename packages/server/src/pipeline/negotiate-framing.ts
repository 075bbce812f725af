/** Chooses SSE or NDJSON from the Accept header and `streaming.formats`; 406 when the asked one is off. */
import { ProviderError } from '@tokenpak/providers';
import type { StreamingConfig } from '../config-types.ts';
import { type Framing, NDJSON_FRAMING, SSE_FRAMING } from '../framing/framing.ts';

export function negotiateFraming(accept: string | null, streaming: StreamingConfig): Framing {
  const sseOn = streaming.formats.includes('sse');
  const ndjsonOn = streaming.formats.includes('chunked');
  const wantsNdjson = accept?.includes('application/x-ndjson') === true;
  const wantsSse = accept?.includes('text/event-stream') === true;
  if (wantsNdjson) {
    if (ndjsonOn) return NDJSON_FRAMING;
    if (wantsSse && sseOn) return SSE_FRAMING;
    throw new ProviderError({
      type: 'not_acceptable',
      message:
        'Chunked NDJSON streaming (Accept: application/x-ndjson) is turned off on this server: ' +
        `streaming.formats is [${streaming.formats.join(', ')}]. Ask for text/event-stream instead.`,
    });
  }
  if (sseOn) return SSE_FRAMING;
  throw new ProviderError({
    type: 'not_acceptable',
    message:
      'SSE streaming (text/event-stream) is turned off on this server: ' +
      `streaming.formats is [${streaming.formats.join(', ')}]. Send Accept: application/x-ndjson for chunked NDJSON.`,
  });
}
