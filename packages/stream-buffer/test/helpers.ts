// Test helpers: a source the test pushes into, a reader that records what it got and when (fake clock).

/** The real setImmediate, taken before any test fakes timers: one macrotask turn drains every microtask. */
const realSetImmediate = globalThis.setImmediate;

/** Lets every pending promise reaction (pipes, reads, writes) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

export interface PushSource<T> {
  readonly stream: ReadableStream<T>;
  push(item: T): void;
  close(): void;
  error(reason: unknown): void;
  /** Resolves with the reason when the stream's consumer cancels it. */
  readonly cancelled: Promise<unknown>;
}

/** A source whose items the test pushes by hand. */
export function pushSource<T>(): PushSource<T> {
  let controller!: ReadableStreamDefaultController<T>;
  let onCancel!: (reason: unknown) => void;
  const cancelled = new Promise<unknown>((resolve) => {
    onCancel = resolve;
  });
  const stream = new ReadableStream<T>({
    start(c) {
      controller = c;
    },
    cancel(reason) {
      onCancel(reason);
    },
  });
  return {
    stream,
    push: (item) => controller.enqueue(item),
    close: () => controller.close(),
    error: (reason) => controller.error(reason),
    cancelled,
  };
}

export interface Received<T> {
  value: T;
  /** Date.now() when the reader got it (the fake clock under fake timers). */
  at: number;
}

export interface Collector<T> {
  readonly received: Received<T>[];
  readonly values: () => T[];
  /** Resolves when the stream ends: with 'done', or with the error it failed with. */
  readonly finished: Promise<{ done: true } | { error: unknown }>;
  /** Reads left after the stream ended: must stay 0. */
  readonly readsAfterEnd: () => number;
}

/** Reads the stream as fast as it yields, recording each item and its time. */
export function collect<T>(stream: ReadableStream<T>): Collector<T> {
  const received: Received<T>[] = [];
  const reader = stream.getReader();
  let afterEnd = 0;
  const finished = (async (): Promise<{ done: true } | { error: unknown }> => {
    try {
      for (;;) {
        const result = await reader.read();
        if (result.done) break;
        received.push({ value: result.value, at: Date.now() });
      }
    } catch (error) {
      return { error };
    }
    // Nothing may come after the end: a further read must also say done.
    const again = await reader.read();
    if (!again.done) afterEnd++;
    return { done: true };
  })();
  return {
    received,
    values: () => received.map((r) => r.value),
    finished,
    readsAfterEnd: () => afterEnd,
  };
}

/** Test items: text deltas of a block (merged ids keep track of which inputs they hold) and markers. */
export type Item = { kind: 'text'; block: number; ids: number[] } | { kind: 'mark'; id: number };

export const itemOptions = {
  isCoalescable: (item: Item): boolean => item.kind === 'text',
  merge: (a: Item, b: Item): Item | undefined =>
    a.kind === 'text' && b.kind === 'text' && a.block === b.block
      ? { kind: 'text', block: a.block, ids: a.ids.concat(b.ids) }
      : undefined,
};

export const text = (id: number, block = 0): Item => ({ kind: 'text', block, ids: [id] });
export const mark = (id: number): Item => ({ kind: 'mark', id });

/** The input ids an output item holds, in order. */
export const idsOf = (item: Item): number[] => (item.kind === 'text' ? item.ids : [item.id]);
