/** Splits text into word-sized pieces that concatenate back to exactly the input: `API`, ` proxies`, ` pass`. */
export function splitWords(text: string): string[] {
  const pieces = text.match(/\s*\S+/g);
  if (!pieces) return text === '' ? [] : [text];
  const joinedLength = pieces.reduce((sum, piece) => sum + piece.length, 0);
  if (joinedLength < text.length) pieces[pieces.length - 1] += text.slice(joinedLength);
  return pieces;
}

/** Splits text into `count` pieces of similar length, never between the two halves of a surrogate pair. */
export function splitPieces(text: string, count: number): string[] {
  if (text.length === 0) return [];
  const size = Math.max(1, Math.ceil(text.length / count));
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end += 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}
