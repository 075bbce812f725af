/**
 * Reasoning signatures are opaque proofs that only the provider that minted them can check. Anthropic's
 * `signature` and OpenAI's `encrypted_content` are base64 and go back as they came. A dialect that carries a
 * signature through the canonical model for its own provider, in a form no other provider could mistake for
 * its own, tags it `<tag>:` (Gemini: `gemini-ts:`); base64 has no colon, so untagged and tagged never mix.
 * A request builder sends only the signatures it can use: never another dialect's tagged one.
 */

/** The tag of a tagged signature (`gemini-ts` for `gemini-ts:…`), or undefined for a provider's own. */
export function signatureTag(signature: string): string | undefined {
  const colon = signature.indexOf(':');
  return colon > 0 ? signature.slice(0, colon) : undefined;
}
