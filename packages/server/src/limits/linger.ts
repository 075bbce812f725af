/**
 * Lingering close after a 413, as nginx does it (`lingering_close`): a client that is still uploading when the
 * proxy decides its body is too large must be able to read the answer. Closing the socket at once, with
 * unread bytes in it, makes the kernel send a reset, and a `fetch` client (undici, the official SDKs) then
 * fails with EPIPE / ECONNRESET while writing, before it has read the 413 waiting in its socket.
 *
 * So, on the Node listener only: the rest of the body is read and thrown away, the 413 goes out with
 * `connection: close`, the proxy's side of the socket is half-closed after it (FIN: the client may stop
 * sending), and the socket is closed once the body has ended, or after {@link LINGER_MS} or
 * {@link LINGER_MAX_BYTES} more bytes, whichever comes first. A client that reads its answer while still
 * sending (undici does) stops by itself as soon as it has the 413. In-process requests have no socket:
 * nothing to do.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/** How long the rest of a refused body is read, at most, from the moment the 413 is decided. */
export const LINGER_MS = 5_000;
/** How many bytes of a refused body are read and discarded, at most, past the limit. */
export const LINGER_MAX_BYTES = 256 * 1024 * 1024;

type DestroySoon = (this: Socket) => void;

/**
 * Starts discarding the rest of `request`'s body (through `reader` when the body is already being read),
 * and holds the socket open until that ends or a bound is reached. Call it when the 413 is decided, before
 * the response is written. Returns at once; never throws.
 */
export function lingerAfterTooLarge(
  request: Request,
  reader?: ReadableStreamDefaultReader<Uint8Array>,
): void {
  const req = (request as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
  const socket = req?.socket as (Socket & { destroySoon?: DestroySoon }) | undefined;
  if (!req || !socket || socket.destroyed || req.complete) {
    reader?.releaseLock();
    return;
  }
  let source = reader;
  if (!source) {
    try {
      source = request.body?.getReader();
    } catch {
      // The body is locked or already used: nothing this module can read; Node closes as usual.
    }
  }
  if (!source) return;

  // Node ends a `connection: close` response with `socket.destroySoon()`: end our side now, close later.
  const destroySoon = socket.destroySoon;
  let drained = false;
  let closeAsked = false;
  if (typeof destroySoon === 'function') {
    socket.destroySoon = function lingeringDestroySoon(this: Socket) {
      closeAsked = true;
      if (drained) {
        destroySoon.call(this);
        return;
      }
      if (this.writable) this.end();
    };
  }
  const finish = (destroy: boolean) => {
    if (drained) return;
    drained = true;
    clearTimeout(timer);
    if (typeof destroySoon === 'function') socket.destroySoon = destroySoon;
    if (destroy) socket.destroy();
    else if (closeAsked) destroySoon?.call(socket);
  };
  const timer = setTimeout(() => finish(true), LINGER_MS);
  timer.unref();
  socket.once('close', () => finish(false));

  const body = source;
  void (async () => {
    let discarded = 0;
    try {
      for (;;) {
        const { done, value } = await body.read();
        if (done) break;
        discarded += value.byteLength;
        if (discarded > LINGER_MAX_BYTES || drained) {
          finish(true);
          return;
        }
      }
      finish(false);
    } catch {
      // The client hung up (or the socket was closed above): nothing more to read.
      finish(true);
    }
  })();
}
