const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function random(length: number): string {
  let out = '';
  for (const byte of crypto.getRandomValues(new Uint8Array(length))) out += ALPHABET[byte % 62];
  return out;
}

/** A message id for an answer (Ollama sends none). */
export const mintMessageId = (): string => `ollama-${random(24)}`;

/** A tool-call id for a call that came without one (Ollama before ids). */
export const mintToolCallId = (): string => `call_${random(24)}`;
