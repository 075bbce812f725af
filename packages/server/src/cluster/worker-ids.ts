/**
 * Ids that name the worker that minted them, so that a request for a stream log or a stored response (kept in
 * that worker's memory) can be sent to it from any worker: `w<index>_<uuid>` for stream ids and
 * `resp_w<index>_<hex>` for Responses ids (the dialect's own id with the worker after its prefix). With one
 * process, ids are minted as before and name no worker.
 */
import { randomUUID } from 'node:crypto';

const OWNER = /^(?:[a-z]+_)?w(\d{1,4})_/;

export function mintWorkerStreamId(index: number): string {
  return `w${index}_${randomUUID()}`;
}

/** `resp_abc…` → `resp_w<index>_abc…` (an id without a `_` prefix gets the worker in front). */
export function withWorker(id: string, index: number): string {
  const cut = id.indexOf('_') + 1;
  return `${id.slice(0, cut)}w${index}_${id.slice(cut)}`;
}

/** The worker that minted `id`, or undefined for an id that names none (minted by one process, or upstream). */
export function ownerOfId(id: string): number | undefined {
  const match = OWNER.exec(id);
  return match ? Number(match[1]) : undefined;
}
