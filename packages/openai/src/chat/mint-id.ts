/** A fresh `chatcmpl-…` id (OpenAI's ids are opaque; 32 hex digits is enough to be unique). */
export function mintCompletionId(): string {
  return `chatcmpl-${globalThis.crypto.randomUUID().replaceAll('-', '')}`;
}
