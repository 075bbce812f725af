/** Who may read a stream log: a digest of the client key that started it ('' when the server has no keys). */
import { createHash } from 'node:crypto';
import { presentedKey } from '../auth/client-keys.ts';

export function streamOwner(headers: Headers, keysConfigured: boolean, url?: string): string {
  if (!keysConfigured) return '';
  const key = presentedKey(headers, url);
  return key === undefined ? '' : createHash('sha256').update(key).digest('hex');
}
