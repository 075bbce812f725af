/**
 * Reads a response body the way Python's `requests` `iter_lines()` does in the recipe's Step 4: as the bytes
 * arrive, split on line breaks, yield each line (the caller skips empty ones, as the recipe's `if line:`).
 */
export async function* iterLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of body) {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split(/\r\n|\r|\n/);
    pending = lines.pop() ?? '';
    yield* lines;
  }
  pending += decoder.decode();
  if (pending !== '') yield pending;
}
