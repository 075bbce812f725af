import { coalesce } from './coalesce.ts';
import type { CoalesceOptions } from './options.ts';

/**
 * The same coalescer over an (async) iterable: yields merged items as they are flushed, with the same
 * rules and timer as {@link coalesce}. The source is read one item at a time, only as fast as the
 * consumer asks (at most one batch ahead). Leaving the loop early (`break`, `return`, a throw) calls the
 * source iterator's `return()`. An error thrown by the source is rethrown after the held items are yielded.
 */
export async function* coalesceIterable<T>(
  source: AsyncIterable<T> | Iterable<T>,
  options: CoalesceOptions<T>,
): AsyncGenerator<T, void, undefined> {
  const transform = coalesce(options);
  // Not `Symbol.asyncIterator in source`: a string is an Iterable too, and `in` throws on primitives.
  const asyncFactory = (source as Partial<AsyncIterable<T>>)[Symbol.asyncIterator];
  const iterator =
    typeof asyncFactory === 'function'
      ? asyncFactory.call(source)
      : (source as Iterable<T>)[Symbol.iterator]();
  const input = new ReadableStream<T>(
    {
      async pull(controller) {
        const result = await iterator.next();
        if (result.done) controller.close();
        else controller.enqueue(result.value);
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
  const reader = input.pipeThrough(transform).getReader();
  let settled = false;
  try {
    for (;;) {
      let result: ReadableStreamReadResult<T>;
      try {
        result = await reader.read();
      } catch (error) {
        settled = true;
        throw error;
      }
      if (result.done) {
        settled = true;
        return;
      }
      yield result.value;
    }
  } finally {
    if (!settled) await reader.cancel();
  }
}
