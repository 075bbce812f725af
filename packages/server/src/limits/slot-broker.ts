/**
 * The primary's count of `streaming.max_concurrent_streams` for `tokenpak proxy --workers N`: every slot in
 * use or leased is held by one worker, and the sum never passes `max`. Workers ask with limits/shared-limiter.ts.
 *
 * - A lease (unused slots granted ahead) is given only while `workers × lease` slots stay free after it, so
 *   leases never crowd a busy cluster.
 * - When no slot is free, the broker reclaims every worker's unused lease, then serves the waiting requests in
 *   order; what is still waiting after every worker has answered is refused. So a refusal means every slot was
 *   held by a running stream.
 * - A worker that dies frees every slot it held: its streams died with it.
 */
import type { SlotReply, SlotRequest } from './slot-messages.ts';

export interface SlotBrokerOptions {
  max: number;
  /** Largest lease one worker may keep (0: none, every stream asks). */
  lease: number;
  /** How many workers share the slots (sizes the room kept free before a lease is granted). */
  workers: number;
  /** Sends a reply to one worker. */
  send(worker: number, message: SlotReply): void;
}

export interface SlotBroker {
  receive(worker: number, message: SlotRequest): void;
  /** The worker has exited: the slots it held are free again, and nothing more is taken from it. */
  removeWorker(worker: number): void;
  /** Slots held over all workers (running streams and leases). */
  readonly held: number;
  heldBy(worker: number): number;
}

export function createSlotBroker(options: SlotBrokerOptions): SlotBroker {
  const { max, lease, send } = options;
  const reserve = options.workers * lease;
  const held = new Map<number, number>();
  const removed = new Set<number>();
  const waiting: Array<{ worker: number; id: number }> = [];
  let total = 0;
  let round: { id: number; awaiting: Set<number> } | undefined;
  let rounds = 0;

  const heldBy = (worker: number): number => held.get(worker) ?? 0;

  const grant = (worker: number, id: number, n: number): void => {
    if (n > 0) {
      held.set(worker, heldBy(worker) + n);
      total += n;
    }
    send(worker, { tokenpak: 'slots.grant', id, n });
  };

  const free = (worker: number, n: number): void => {
    const returned = Math.min(n, heldBy(worker));
    held.set(worker, heldBy(worker) - returned);
    total -= returned;
  };

  /** Serves waiting requests one slot each while there is room; once no reclaim is under way, refuses the rest. */
  const serveWaiting = (): void => {
    while (waiting.length > 0 && total < max) {
      const next = waiting.shift()!;
      grant(next.worker, next.id, 1);
    }
    if (round && round.awaiting.size === 0) round = undefined;
    if (!round) for (const refused of waiting.splice(0)) grant(refused.worker, refused.id, 0);
  };

  const startRound = (): void => {
    const awaiting = new Set<number>();
    for (const [worker, count] of held) if (count > 0) awaiting.add(worker);
    round = { id: ++rounds, awaiting };
    for (const worker of awaiting) send(worker, { tokenpak: 'slots.reclaim', round: round.id });
    serveWaiting();
  };

  return {
    receive(worker, message) {
      if (removed.has(worker)) return;
      switch (message.tokenpak) {
        case 'slots.acquire': {
          const room = max - total;
          if (room > 0 && waiting.length === 0) {
            const extra = Math.max(0, Math.min(message.want - 1, room - 1 - reserve));
            grant(worker, message.id, 1 + extra);
            return;
          }
          waiting.push({ worker, id: message.id });
          if (!round) startRound();
          return;
        }
        case 'slots.release':
          free(worker, message.n);
          if (waiting.length > 0) serveWaiting();
          return;
        case 'slots.reclaimed':
          free(worker, message.n);
          if (round?.id === message.round) round.awaiting.delete(worker);
          serveWaiting();
          return;
      }
    },
    removeWorker(worker) {
      if (removed.has(worker)) return;
      removed.add(worker);
      free(worker, heldBy(worker));
      held.delete(worker);
      for (let i = waiting.length - 1; i >= 0; i--) if (waiting[i]!.worker === worker) waiting.splice(i, 1);
      if (round) {
        round.awaiting.delete(worker);
        serveWaiting();
      }
    },
    get held() {
      return total;
    },
    heldBy,
  };
}
