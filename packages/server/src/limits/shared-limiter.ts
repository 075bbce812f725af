/**
 * A worker's half of `streaming.max_concurrent_streams` across the workers of `tokenpak proxy --workers N`:
 * the primary holds the count (limits/slot-broker.ts), and this limiter asks it for slots over IPC.
 *
 * To keep the round trip off most requests, the worker may keep a small lease: unused slots granted ahead,
 * taken synchronously by the next streams. The broker grants a lease only while the cluster has plenty of room,
 * and when it runs out it reclaims every worker's unused lease before it refuses anyone: a 429 means every slot
 * is held by a running stream, exactly as with one process. `lease: 0` asks for every stream.
 */
import { type ConcurrencyLimiter, createConcurrencyLimiter, type Slot } from './concurrency-limiter.ts';
import type { SlotReply, SlotRequest } from './slot-messages.ts';

export interface SharedLimiterOptions {
  /** The cluster-wide `streaming.max_concurrent_streams` (what /health reports). */
  max: number;
  /** Unused slots this worker may keep for its next streams. */
  lease: number;
  /** Sends a message to the primary's broker. */
  send(message: SlotRequest): void;
}

export interface SharedLimiter extends ConcurrencyLimiter {
  /** Hands a message from the broker to the limiter. */
  receive(message: SlotReply): void;
  /** Unused leased slots held now. */
  readonly spare: number;
}

export function createSharedLimiter(options: SharedLimiterOptions): SharedLimiter {
  const { max, lease, send } = options;
  // The slots held in this worker (active, whenIdle, terminateAll): a local limiter with no cap of its own,
  // since the broker's grants are the cap.
  const held = createConcurrencyLimiter(Number.POSITIVE_INFINITY);
  const pending = new Map<number, (n: number) => void>();
  let nextId = 1;
  let spare = 0;
  let closed = false;

  const giveBack = (keep: number): void => {
    if (spare <= keep) return;
    send({ tokenpak: 'slots.release', n: spare - keep });
    spare = keep;
  };

  /** A granted slot: held locally, and back to the lease (or the broker) when released. */
  const take = (terminate?: (reason: string) => void): Slot => {
    const slot = held.tryAcquire(terminate) as Slot;
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        spare++;
        giveBack(closed ? 0 : lease);
        slot.release();
      },
    };
  };

  return {
    max,
    get active() {
      return held.active;
    },
    get closed() {
      return closed;
    },
    get spare() {
      return spare;
    },
    acquire(terminate) {
      if (closed) return undefined;
      if (spare > 0) {
        spare--;
        return take(terminate);
      }
      const id = nextId++;
      send({ tokenpak: 'slots.acquire', id, want: 1 + lease });
      return new Promise<Slot | undefined>((resolve) => {
        pending.set(id, (n) => {
          if (n === 0) return resolve(undefined);
          spare += n - 1;
          if (closed) {
            // Shutdown began while the grant was on its way: no new stream, every slot back.
            spare++;
            giveBack(0);
            return resolve(undefined);
          }
          resolve(take(terminate));
        });
      });
    },
    receive(message) {
      if (message.tokenpak === 'slots.grant') {
        const resolve = pending.get(message.id);
        pending.delete(message.id);
        resolve?.(message.n);
      } else {
        send({ tokenpak: 'slots.reclaimed', round: message.round, n: spare });
        spare = 0;
      }
    },
    whenIdle: () => held.whenIdle(),
    close() {
      closed = true;
      giveBack(0);
    },
    terminateAll: (reason) => held.terminateAll(reason),
  };
}
