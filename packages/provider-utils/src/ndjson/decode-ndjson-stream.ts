/**
 * Upstream NDJSON bytes → canonical events (`decodeFramedStream` with NDJSON framing, for Ollama): lines split
 * across chunks, CRLF, blank lines and a last line without newline (`createNdjsonParser`) before the dialect's
 * decoder stage, which gets one parsed JSON value per line. A line that is not JSON ends the stream with a
 * `bad_upstream` error naming the line, and aborts the upstream.
 */
import type { StreamEvent, StreamStage } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import type { ByteReader } from '../http/byte-reader.ts';
import { type DecodeStreamOptions, decodeFramedStream, type Framer } from '../stream/decode-framed-stream.ts';
import { createNdjsonParser, NdjsonLineError } from './parse-ndjson.ts';

export type DecodeNdjsonStreamOptions = DecodeStreamOptions;

/** NDJSON framing: bytes → one parsed JSON value per line. */
export function ndjsonFramer(): Framer<unknown> {
  let push: (value: unknown) => void = () => {};
  const parser = createNdjsonParser((value) => push(value));
  return {
    feed(chunk, to) {
      push = to;
      parser.feed(chunk);
    },
    end(to) {
      push = to;
      parser.end();
    },
    errorFor(cause, provider) {
      if (!(cause instanceof NdjsonLineError)) return undefined;
      return new ProviderError({
        type: 'bad_upstream',
        provider,
        message: `upstream ${provider} sent a line that is not JSON (line ${cause.line}): ${cause.text}`,
        cause,
      });
    },
  };
}

export function decodeNdjsonStream(
  body: ReadableStream<Uint8Array> | ByteReader,
  decoder: StreamStage<unknown, StreamEvent>,
  options: DecodeNdjsonStreamOptions,
): ReadableStream<StreamEvent> {
  return decodeFramedStream(body, ndjsonFramer(), decoder, options);
}
