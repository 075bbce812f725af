/**
 * An upstream body as a plain reader of byte chunks. A web ReadableStream over undici's Node body costs a stream,
 * a controller, a reader and their promises per request (in Node 20, building the stream alone is a visible
 * share of a short request's CPU time), and the proxy reads each body once, in order. So the upstream client
 * reads undici's body directly (`nodeBodyReader`) and builds the web stream only when someone asks for
 * `body`: the answers it returns (and an HTTP provider's raw streams) carry the reader under `BYTE_READER`,
 * and `openBytes(answer)` takes it, falling back to `answer.body` for any other object (a third party's
 * RawStream). Use one or the other on a given answer, never both.
 */
import type { Readable } from 'node:stream';

export interface ByteReader {
  /** The next chunk, or undefined at the end. Rejects with the mapped error when the body fails. */
  read(): Promise<Uint8Array | undefined>;
  /** Stops reading: aborts the upstream request (closing its socket). Never rejects. */
  cancel(reason?: unknown): Promise<void>;
}

export interface BodyHooks {
  /** Turns a Node stream error into the error `read()` rejects with. */
  mapError(error: unknown): unknown;
  /** Called exactly once when the body ends, fails (with the mapped error) or is cancelled. */
  done?(error: unknown, cancelled: boolean): void;
}

/** The property of an answer that holds its body's reader. */
export const BYTE_READER: unique symbol = Symbol.for('tokenpak.byteReader');

type WithReader = { body: ReadableStream<Uint8Array>; [BYTE_READER]?: ByteReader };

/** The byte reader of an answer (`UpstreamResponse`, `RawStream`): its own when it has one, else over `body`. */
export function openBytes(answer: { body: ReadableStream<Uint8Array> }): ByteReader {
  const own = (answer as WithReader)[BYTE_READER];
  return own ?? webByteReader(answer.body);
}

/** A ByteReader over a web stream. */
export function webByteReader(body: ReadableStream<Uint8Array>): ByteReader {
  const reader = body.getReader();
  return {
    async read() {
      const result = await reader.read();
      return result.done ? undefined : result.value;
    },
    cancel: (reason) => reader.cancel(reason).catch(() => {}),
  };
}

/** A web stream over a ByteReader (built only when an answer's `body` is asked for). */
export function byteReaderToWeb(reader: ByteReader): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const chunk = await reader.read();
        if (chunk === undefined) controller.close();
        else controller.enqueue(chunk);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

type Waiter = { resolve(chunk: Uint8Array | undefined): void; reject(error: unknown): void };

/**
 * Reads undici's Node body chunk for chunk (no copies), with backpressure: the body is paused while a chunk
 * waits for its `read()`.
 */
export function nodeBodyReader(body: Readable, hooks: BodyHooks): ByteReader {
  const queue: Uint8Array[] = [];
  let waiter: Waiter | undefined;
  /** Whether the outcome is known: `done` has been called. */
  let finished = false;
  let ended = false;
  let cancelled = false;
  let failure: unknown;
  let failed = false;

  const finish = (error?: unknown, cancel = false): boolean => {
    if (finished) return false;
    finished = true;
    hooks.done?.(error, cancel);
    return true;
  };

  /** Hands the waiting read what there is: a chunk, the end or the error. */
  const settle = (): void => {
    const w = waiter;
    if (w === undefined) return;
    if (queue.length > 0) {
      waiter = undefined;
      w.resolve(queue.shift());
    } else if (failed) {
      waiter = undefined;
      w.reject(failure);
    } else if (ended || cancelled) {
      waiter = undefined;
      w.resolve(undefined);
    }
  };

  const fail = (cause: unknown): void => {
    if (finished) return;
    failure = hooks.mapError(cause);
    failed = true;
    finish(failure);
    settle();
  };

  body.on('data', (chunk: Uint8Array) => {
    if (cancelled) return;
    queue.push(chunk);
    if (waiter !== undefined) settle();
    else body.pause();
  });
  body.once('end', () => {
    if (!finish()) return;
    ended = true;
    settle();
  });
  body.once('error', fail);
  // Destroyed without 'end' or 'error': the connection went away under us. (Every body closes after its
  // end: the error is only built when it is needed.)
  body.once('close', () => {
    if (!finished) fail(Object.assign(new Error('closed'), { code: 'UND_ERR_SOCKET' }));
  });

  return {
    read() {
      if (queue.length > 0) {
        const chunk = queue.shift() as Uint8Array;
        if (queue.length === 0 && !finished) body.resume();
        return Promise.resolve(chunk);
      }
      if (failed) return Promise.reject(failure);
      if (ended || cancelled) return Promise.resolve(undefined);
      return new Promise<Uint8Array | undefined>((resolve, reject) => {
        waiter = { resolve, reject };
        body.resume();
      });
    },
    cancel() {
      if (cancelled || !finish(undefined, true)) return Promise.resolve();
      cancelled = true;
      queue.length = 0;
      // Destroying undici's body before its end aborts the request and closes its socket.
      body.destroy();
      settle();
      return Promise.resolve();
    },
  };
}
