/**
 * max_concurrent_streams across workers: shared limiters (one per worker) and the primary's broker, wired
 * in-process the way cluster IPC wires them (messages delivered on a later turn, like a pipe).
 */
import { describe, expect, test } from 'vitest';
import type { Slot } from '../src/limits/concurrency-limiter.ts';
import { createSharedLimiter, type SharedLimiter } from '../src/limits/shared-limiter.ts';
import { createSlotBroker, type SlotBroker } from '../src/limits/slot-broker.ts';

function cluster(
  max: number,
  workers: number,
  lease: number,
): { broker: SlotBroker; limiters: SharedLimiter[] } {
  const limiters: SharedLimiter[] = [];
  const broker = createSlotBroker({
    max,
    lease,
    workers,
    send: (worker, message) => setImmediate(() => limiters[worker]?.receive(message)),
  });
  for (let w = 0; w < workers; w++) {
    limiters.push(
      createSharedLimiter({ max, lease, send: (message) => setImmediate(() => broker.receive(w, message)) }),
    );
  }
  return { broker, limiters };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('shared stream slots', () => {
  test('without a lease every stream asks, and the limit holds across workers', async () => {
    const { broker, limiters } = cluster(2, 2, 0);
    const a = await limiters[0]!.acquire();
    const b = await limiters[1]!.acquire();
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(await limiters[0]!.acquire()).toBeUndefined();
    expect(await limiters[1]!.acquire()).toBeUndefined();
    expect(broker.held).toBe(2);
    a!.release();
    await settle();
    expect(broker.held).toBe(1);
    expect(await limiters[1]!.acquire()).toBeDefined();
    expect(limiters[1]!.active).toBe(2);
  });

  test('a lease is taken synchronously, and reclaimed before anyone is refused', async () => {
    const { broker, limiters } = cluster(40, 2, 4);
    const first = await limiters[0]!.acquire();
    expect(first).toBeDefined();
    expect(limiters[0]!.spare).toBe(4);
    // The next four come from the lease, without a round trip.
    const leased = [1, 2, 3, 4].map(() => limiters[0]!.acquire());
    for (const slot of leased) expect(slot).not.toBeInstanceOf(Promise);
    for (const slot of leased) slot && 'release' in slot && slot.release();
    expect(limiters[0]!.spare).toBe(4);
    // Worker 1 fills the rest; the last ones need worker 0's unused lease back.
    const held: Slot[] = [];
    for (let i = 0; i < 39; i++) {
      const slot = await limiters[1]!.acquire();
      expect(slot, `stream ${i}`).toBeDefined();
      held.push(slot!);
    }
    expect(limiters[0]!.spare).toBe(0);
    expect(broker.held).toBe(40);
    expect(await limiters[1]!.acquire()).toBeUndefined();
    expect(await limiters[0]!.acquire()).toBeUndefined();
  });

  test('a worker that dies frees every slot it held', async () => {
    const { broker, limiters } = cluster(2, 2, 0);
    await limiters[0]!.acquire();
    await limiters[0]!.acquire();
    expect(await limiters[1]!.acquire()).toBeUndefined();
    broker.removeWorker(0);
    expect(broker.held).toBe(0);
    expect(await limiters[1]!.acquire()).toBeDefined();
  });

  test('close() gives the lease back and refuses new streams; drain waits for the open ones', async () => {
    const { broker, limiters } = cluster(100, 2, 8);
    const slot = await limiters[0]!.acquire();
    expect(broker.heldBy(0)).toBeGreaterThan(1);
    limiters[0]!.close();
    await settle();
    expect(broker.heldBy(0)).toBe(1);
    expect(await limiters[0]!.acquire()).toBeUndefined();
    let idle = false;
    void limiters[0]!.whenIdle().then(() => {
      idle = true;
    });
    await settle();
    expect(idle).toBe(false);
    slot!.release();
    await settle();
    expect(idle).toBe(true);
    expect(broker.held).toBe(0);
  });
});
