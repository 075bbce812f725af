/**
 * The byte redactor of the fast path: forwarded bytes are searched for each configured secret (a native byte
 * search per secret, no decoding) and copied with `[redacted]` in its place only when one is there. The fast
 * path releases whole events, so a secret inside one event is never split between two chunks.
 */
export type ByteRedactor = (bytes: Uint8Array) => Uint8Array;

const REDACTED = Buffer.from('[redacted]');

export function createByteRedactor(secrets: readonly string[]): ByteRedactor {
  const needles = secrets.map((secret) => Buffer.from(secret, 'utf8'));
  if (needles.length === 0) return (bytes) => bytes;
  return (bytes) => {
    let out = bytes;
    // One Buffer view for every search (a new one only after a replacement).
    let view = Buffer.isBuffer(out) ? out : Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    for (const needle of needles) {
      let at = view.indexOf(needle);
      if (at === -1) continue;
      const parts: Uint8Array[] = [];
      let from = 0;
      while (at !== -1) {
        parts.push(view.subarray(from, at), REDACTED);
        from = at + needle.byteLength;
        at = view.indexOf(needle, from);
      }
      parts.push(view.subarray(from));
      view = Buffer.concat(parts);
      out = view;
    }
    return out;
  };
}
