/**
 * Slots for open streams (`streaming.max_concurrent_streams`). A slot is released exactly once, whatever
 * ends the stream; the limiter also knows how to end every open stream cleanly at shutdown.
 */

export interface Slot {
  /** Idempotent: the second and later calls do nothing. */
  release(): void;
}

export interface ConcurrencyLimiter {
  readonly max: number;
  /** Streams holding a slot now. */
  readonly active: number;
  /** True after close(): no new slot is given. */
  readonly closed: boolean;
  /**
   * Takes a slot, or gives undefined when all are taken or the limiter is closed. `terminate` is called by
   * terminateAll() (shutdown) to end the stream cleanly. A limiter shared between processes (the slots of
   * `tokenpak proxy --workers N`) may have to ask another process, so the answer may come as a promise.
   */
  acquire(terminate?: (reason: string) => void): Slot | undefined | Promise<Slot | undefined>;
  /** Resolves when no slot is held (at once if none is). */
  whenIdle(): Promise<void>;
  /** Stops giving slots (shutdown has begun). */
  close(): void;
  /** Asks every open stream to end now; each releases its slot as it ends. */
  terminateAll(reason: string): void;
}

/** The in-process limiter: every answer is immediate. */
export interface LocalConcurrencyLimiter extends ConcurrencyLimiter {
  /** Takes a slot, or returns undefined when all are taken or the limiter is closed. */
  tryAcquire(terminate?: (reason: string) => void): Slot | undefined;
  acquire(terminate?: (reason: string) => void): Slot | undefined;
}

export function createConcurrencyLimiter(max: number): LocalConcurrencyLimiter {
  const open = new Set<{ terminate?: (reason: string) => void }>();
  let idleWaiters: Array<() => void> = [];
  let closed = false;

  const notifyIdle = (): void => {
    if (open.size !== 0 || idleWaiters.length === 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const tryAcquire = (terminate?: (reason: string) => void): Slot | undefined => {
    if (closed || open.size >= max) return undefined;
    const entry = { terminate };
    open.add(entry);
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        open.delete(entry);
        notifyIdle();
      },
    };
  };

  return {
    max,
    get active() {
      return open.size;
    },
    get closed() {
      return closed;
    },
    tryAcquire,
    acquire: tryAcquire,
    whenIdle() {
      if (open.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    close() {
      closed = true;
    },
    terminateAll(reason) {
      for (const entry of [...open]) entry.terminate?.(reason);
    },
  };
}
