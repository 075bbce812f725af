/** A fresh `responseId` in Gemini's shape: 22 characters of base64url (Gemini's own are of that kind). */
export function mintResponseId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64url');
}
