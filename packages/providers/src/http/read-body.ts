/** Reads a whole (or the first `limit` bytes of a) web byte stream as UTF-8 text. */
export async function readText(body: ReadableStream<Uint8Array>, limit: number): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
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
  } finally {
    reader.releaseLock();
  }
}

/** JSON when it parses, else the text itself (error bodies are sometimes plain text or HTML). */
export function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
