import { type ByteReader, webByteReader } from './byte-reader.ts';

/** Reads a whole (or the first `limit` bytes of a) byte stream as UTF-8 text. */
export async function readText(
  body: ReadableStream<Uint8Array> | ByteReader,
  limit: number,
): Promise<string> {
  const reader = body instanceof ReadableStream ? webByteReader(body) : body;
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const value = await reader.read();
    if (value === undefined) break;
    const room = limit - size;
    if (value.byteLength >= room) {
      text += decoder.decode(value.subarray(0, room));
      await reader.cancel();
      return text;
    }
    size += value.byteLength;
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** JSON when it parses, else the text itself (error bodies are sometimes plain text or HTML). */
export function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
