import { createHash } from 'node:crypto';

/** Bedrock's rule for `toolUseId`: 1 to 64 of `[a-zA-Z0-9_-]`. */
const VALID = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * The `toolUseId` to send for a canonical tool call id. Bedrock's own ids (`tooluse_…`) and most clients'
 * (`call_…`, `toolu_…`) are sent as they are; any other (too long, or with other characters, e.g. another
 * provider's ids carrying data) becomes `tooluse_` + a hash of it: the same for the call and for its result,
 * so Bedrock still pairs them.
 */
export function wireToolUseId(id: string): string {
  if (VALID.test(id)) return id;
  return `tooluse_${createHash('sha256').update(id).digest('base64url').slice(0, 40)}`;
}
