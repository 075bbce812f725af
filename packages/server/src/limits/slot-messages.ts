/**
 * What a worker's shared limiter and the primary's slot broker say to each other over cluster IPC
 * (`tokenpak proxy --workers N`). Every message carries `tokenpak` so that it is told apart from other IPC.
 */

/** Worker → primary. */
export type SlotRequest =
  /** `want` slots, of which the first is for a stream waiting now and the rest a lease for the next ones. */
  | { tokenpak: 'slots.acquire'; id: number; want: number }
  /** Slots handed back (streams ended, or a lease given up). */
  | { tokenpak: 'slots.release'; n: number }
  /** The answer to a reclaim: the unused slots of this worker's lease, handed back. */
  | { tokenpak: 'slots.reclaimed'; round: number; n: number };

/** Primary → worker. */
export type SlotReply =
  /** `n` slots for acquire `id`: 0 is a refusal (every slot of the cluster is in use). */
  | { tokenpak: 'slots.grant'; id: number; n: number }
  /** Hand back the unused slots of your lease: another worker needs one. */
  | { tokenpak: 'slots.reclaim'; round: number };

export function isSlotReply(message: unknown): message is SlotReply {
  const kind = (message as { tokenpak?: unknown } | null)?.tokenpak;
  return kind === 'slots.grant' || kind === 'slots.reclaim';
}

export function isSlotRequest(message: unknown): message is SlotRequest {
  const kind = (message as { tokenpak?: unknown } | null)?.tokenpak;
  return kind === 'slots.acquire' || kind === 'slots.release' || kind === 'slots.reclaimed';
}
