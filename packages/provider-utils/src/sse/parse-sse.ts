/**
 * Upstream bytes → SSE messages, with `eventsource-parser` (handles CRLF, CR, events split across chunks,
 * comments and retry fields per the WHATWG spec).
 */
import type { SseMessage } from '@tokenpak/provider';
import { EventSourceParserStream } from 'eventsource-parser/stream';

export type { SseMessage };

/** Pipes a byte stream through UTF-8 decoding and SSE parsing. */
export function parseSse(bytes: ReadableStream<Uint8Array>): ReadableStream<SseMessage> {
  return bytes
    .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
    .pipeThrough(new EventSourceParserStream())
    .pipeThrough(
      new TransformStream({
        transform(message, controller) {
          controller.enqueue({ event: message.event, data: message.data, id: message.id });
        },
      }),
    );
}
