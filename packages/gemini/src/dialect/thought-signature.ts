/**
 * Gemini's `thoughtSignature` travels inside the canonical tool call's id, so that a client of any dialect
 * (which echoes tool call ids in its tool results and in the assistant turn it sends back) returns it to us:
 *
 *   <call id>__ts__<signature as base64url>        e.g. call_k3J9x2…__ts__EpwICpkIAXLI2nx…
 *
 * Every character is in `[A-Za-z0-9_-]` (the alphabet Anthropic requires of tool ids; OpenAI accepts it too).
 * The signature is base64 (a protobuf `bytes` field): its bytes are re-encoded as base64url (no padding), and
 * decoded back to the padded standard base64 Gemini sent. A signature that is not canonical base64 is carried
 * as the base64url of its UTF-8 text after `__tsu__` instead, so that it too comes back unchanged. The minted
 * call ids never contain `__`, so the first `__ts__` / `__tsu__` is the separator.
 */

/**
 * Prefix of the reasoning signatures this package emits (a thought part's signature, or the signature of the
 * first answer part after thoughts): only signatures with it go back to Gemini, so that another provider's
 * (Anthropic's) reasoning signatures are never sent to Gemini.
 */
export const REASONING_SIGNATURE_PREFIX = 'gemini-ts:';

const MARK = '__ts__';
const MARK_UTF8 = '__tsu__';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh tool call id: `call_` and 24 letters or digits (never `__`). */
export function mintCallId(): string {
  let id = 'call_';
  for (let i = 0; i < 24; i++) id += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return id;
}

/** The canonical id of a call: its own id, with the signature when there is one. */
export function encodeCallId(id: string, signature: string | undefined): string {
  if (!signature) return id;
  const bytes = Buffer.from(signature, 'base64');
  if (bytes.toString('base64') === signature) return `${id}${MARK}${bytes.toString('base64url')}`;
  return `${id}${MARK_UTF8}${Buffer.from(signature, 'utf8').toString('base64url')}`;
}

/** A canonical id back into the call's own id and the signature it carries (if any). */
export function decodeCallId(canonical: string): { id: string; signature?: string } {
  const utf8 = canonical.indexOf(MARK_UTF8);
  const plain = canonical.indexOf(MARK);
  if (plain !== -1 && (utf8 === -1 || plain < utf8)) {
    const signature = Buffer.from(canonical.slice(plain + MARK.length), 'base64url').toString('base64');
    return { id: canonical.slice(0, plain), ...(signature && { signature }) };
  }
  if (utf8 !== -1) {
    const signature = Buffer.from(canonical.slice(utf8 + MARK_UTF8.length), 'base64url').toString('utf8');
    return { id: canonical.slice(0, utf8), ...(signature && { signature }) };
  }
  return { id: canonical };
}

/** A canonical reasoning signature as a part's `thoughtSignature`: only the ones this package minted. */
export function thoughtSignatureOf(reasoningSignature: string | undefined): string | undefined {
  if (!reasoningSignature?.startsWith(REASONING_SIGNATURE_PREFIX)) return undefined;
  return reasoningSignature.slice(REASONING_SIGNATURE_PREFIX.length) || undefined;
}
