/**
 * Adapts undici's Node body stream to a web ReadableStream<Uint8Array>, chunk for chunk (no copies),
 * with backpressure: the Node stream is paused while the web stream's queue is full.
 */
import type { Readable } from 'node:stream';

export interface BodyHooks {
  /** Turns a Node stream error into the error the web stream errors with. */
  mapError(error: unknown): unknown;
  /** Called exactly once when the body ends, fails (with the mapped error) or is cancelled. */
  done?(error: unknown, cancelled: boolean): void;
}

export function nodeBodyToWeb(body: Readable, hooks: BodyHooks): ReadableStream<Uint8Array> {
  let finished = false;
  const finish = (error?: unknown, cancelled = false): boolean => {
    if (finished) return false;
    finished = true;
    hooks.done?.(error, cancelled);
    return true;
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      body.on('data', (chunk: Uint8Array) => {
        if (finished) return;
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 0) <= 0) body.pause();
      });
      body.once('end', () => {
        if (finish()) controller.close();
      });
      const fail = (cause: unknown) => {
        if (finished) return;
        const error = hooks.mapError(cause);
        finish(error);
        controller.error(error);
      };
      body.once('error', fail);
      // Destroyed without 'end' or 'error': the connection went away under us.
      // (Every body closes after its end: the error is only built when it is needed.)
      body.once('close', () => {
        if (!finished) fail(Object.assign(new Error('closed'), { code: 'UND_ERR_SOCKET' }));
      });
    },
    pull() {
      body.resume();
    },
    cancel() {
      if (!finish(undefined, true)) return;
      // Destroying undici's body before its end aborts the request and closes its socket.
      body.destroy();
    },
  });
}
