const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh message id shaped like Anthropic's (`msg_01` + 22 base62 characters). */
export function mintMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(22));
  let id = 'msg_01';
  for (const byte of bytes) id += ALPHABET[byte % 62];
  return id;
}
