/**
 * Upstream SSE bytes → canonical events (`decodeFramedStream` with SSE framing): UTF-8 decoding (TextDecoder,
 * `stream: true`) and SSE parsing (eventsource-parser's `createParser`, WHATWG-correct: CRLF, CR, events split
 * across chunks, comments, BOM) before the dialect's decoder stage. Input that ends with whole lines lacks only
 * the blank line after its last event: that event counts (a final `data: [DONE]` or `message_stop` without
 * it). A partial last line is a cut event: dropped.
 */
import type { SseMessage, StreamEvent, StreamStage } from '@tokenpak/provider';
import { createParser } from 'eventsource-parser';
import type { ByteReader } from '../http/byte-reader.ts';
import { type DecodeStreamOptions, decodeFramedStream, type Framer } from './decode-framed-stream.ts';

const LF = 10;
const CR = 13;

export type DecodeSseStreamOptions = DecodeStreamOptions;

/** SSE framing: bytes → SSE messages. */
export function sseFramer(): Framer<SseMessage> {
  const text = new TextDecoder();
  let push: (message: SseMessage) => void = () => {};
  const parser = createParser({ onEvent: (message) => push(message) });
  /** The input's last byte so far. */
  let lastByte = 0;
  return {
    feed(chunk, to) {
      push = to;
      if (chunk.byteLength > 0) lastByte = chunk[chunk.byteLength - 1] as number;
      parser.feed(text.decode(chunk, { stream: true }));
    },
    end(to) {
      push = to;
      const rest = text.decode();
      if (rest.length > 0) parser.feed(rest);
      else if (lastByte === LF || lastByte === CR) parser.feed('\n\n');
    },
  };
}

export function decodeSseStream(
  body: ReadableStream<Uint8Array> | ByteReader,
  decoder: StreamStage<SseMessage, StreamEvent>,
  options: DecodeSseStreamOptions,
): ReadableStream<StreamEvent> {
  return decodeFramedStream(body, sseFramer(), decoder, options);
}
