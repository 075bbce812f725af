const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function random(length: number): string {
  let out = '';
  for (const byte of crypto.getRandomValues(new Uint8Array(length))) out += ALPHABET[byte % 62];
  return out;
}

/** A message id for an answer (Converse sends none in its body or stream). */
export const mintMessageId = (): string => `bedrock-${random(24)}`;

/** A tool use id for a call that came without one (never expected from Bedrock; a guard). */
export const mintToolUseId = (): string => `tooluse_${random(22)}`;
