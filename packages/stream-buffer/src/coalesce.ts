import { type CoalesceOptions, resolveCoalesceOptions } from './options.ts';

/**
 * A stream that groups consecutive coalescable items and emits them merged: use it with `pipeThrough`.
 *
 * Flush rules: when `bufferTokens` items are held; `flushIntervalMs` after the first held item arrived
 * (a timer, not the next arrival); just before any non-coalescable item; when `merge` refuses; when the
 * source ends; and before a source error is passed on. With `flushFirst` the stream's first coalescable
 * item is emitted at once. With `bufferTokens: 1` the platform's identity `TransformStream` is returned.
 *
 * Why not a `TransformStream` with a transformer for the buffering case: a source error reaches a
 * TransformStream as an abort of its writable side, which errors the readable side at once and drops
 * whatever it queued, so held text could not be delivered before the error; and the transformer's
 * `cancel` hook (the only way to hear of a reader's cancel, to clear the timer) is missing from older
 * runtimes. So the buffering case is a `WritableStream` and a `ReadableStream` sharing one closure:
 * - the readable side has a high-water mark of 0, so nothing is produced ahead of the reader;
 * - a write that leaves an unread item in the readable queue (a count, merge or structural flush, or an
 *   earlier timer flush) resolves only when the reader asks for more (`pull`), and a pipe reads nothing
 *   from its source while a write is pending. So a slow reader leaves at most `bufferTokens` source items
 *   in here (held, or flushed and not yet read), and the source is not read further until the reader
 *   takes them. The timer keeps flushing while the reader is slow (a token must not wait for the next
 *   arrival), but it never makes room for more input;
 * - the reader's `cancel` clears the timer, drops held items and errors the writable side, so a
 *   `pipeThrough` cancels the source with the same reason;
 * - an abort (source error) flushes held items and errors the readable side only once the reader has
 *   taken everything queued before it.
 * The returned pair is typed as a `TransformStream` (it has exactly its shape) but is not an instance of it.
 */
export function coalesce<T>(options: CoalesceOptions<T>): TransformStream<T, T> {
  const { bufferTokens, flushIntervalMs, flushFirst, isCoalescable, merge } = resolveCoalesceOptions(options);
  // One token per batch: nothing to hold, merge or time, so the cheapest correct stream is the identity.
  if (bufferTokens === 1) return new TransformStream<T, T>();

  let out!: ReadableStreamDefaultController<T>;
  let sink!: WritableStreamDefaultController;
  let held: T | undefined;
  let count = 0; // held items merged into `held`; 0 = nothing held (T itself may include undefined)
  let first = flushFirst;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let resume: (() => void) | undefined; // resolves the write waiting for the reader
  let ended = false;
  let failed = false;
  let failure: unknown;

  const stopTimer = (): void => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
  };
  const onTimer = (): void => {
    timer = undefined;
    if (count === 0) return;
    const item = held as T;
    held = undefined;
    count = 0;
    out.enqueue(item);
  };
  const hold = (item: T): void => {
    held = item;
    count = 1;
    if (flushIntervalMs > 0) timer = setTimeout(onTimer, flushIntervalMs);
  };
  const flush = (): void => {
    stopTimer();
    const item = held as T;
    held = undefined;
    count = 0;
    out.enqueue(item);
  };
  const end = (): void => {
    ended = true;
    stopTimer();
    held = undefined;
    count = 0;
    const wake = resume;
    resume = undefined;
    wake?.();
  };
  const waitForReader = (resolve: () => void): void => {
    resume = resolve;
  };

  const push = (item: T): void => {
    if (isCoalescable(item)) {
      if (count === 0) {
        if (first) {
          first = false;
          out.enqueue(item);
        } else {
          hold(item);
        }
      } else {
        const merged = merge(held as T, item);
        if (merged === undefined) {
          flush();
          hold(item);
        } else if (++count >= bufferTokens) {
          held = merged;
          flush();
        } else {
          held = merged;
        }
      }
    } else {
      if (count !== 0) flush();
      out.enqueue(item);
    }
  };

  const readable = new ReadableStream<T>(
    {
      start(controller) {
        out = controller;
      },
      pull() {
        if (failed) {
          failed = false;
          const reason = failure;
          failure = undefined;
          out.error(reason);
          return;
        }
        const wake = resume;
        if (wake !== undefined) {
          resume = undefined;
          wake();
        }
      },
      cancel(reason) {
        if (ended) return;
        end();
        sink.error(reason);
      },
    },
    { highWaterMark: 0 },
  );

  const writable = new WritableStream<T>({
    start(controller) {
      sink = controller;
    },
    write(item) {
      if (ended) return;
      try {
        push(item);
      } catch (error) {
        // isCoalescable or merge threw: fail both sides (the pipe then cancels the source).
        end();
        out.error(error);
        throw error;
      }
      // desiredSize < 0: an item is queued that the reader has not asked for yet.
      if ((out.desiredSize as number) < 0) return new Promise<void>(waitForReader);
    },
    close() {
      if (ended) return;
      if (count !== 0) flush();
      end();
      out.close();
    },
    abort(reason) {
      if (ended) return;
      if (count !== 0) flush();
      end();
      if (out.desiredSize === 0) {
        out.error(reason);
      } else {
        failed = true;
        failure = reason;
      }
    },
  });

  return { readable, writable };
}
