/**
 * Knowing when the client hangs up, at the least cost per request. On srvx's Node adapter this listens to the
 * Node response's `close` (a close before the response finished is a hang-up), instead of asking for
 * `request.signal`, which makes srvx build an AbortController and two listeners for every request. Elsewhere
 * (`app.fetch` in tests, other runtimes) it is the request's own signal.
 */

export interface ClientGone {
  /** Whether the client has hung up. */
  readonly gone: boolean;
  /** Calls `listener` once when the client hangs up (at once if it already has); returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

interface NodeResponseLike {
  readonly destroyed: boolean;
  readonly writableFinished: boolean;
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

export function clientGoneOf(request: Request): ClientGone {
  const res = (request as { runtime?: { node?: { res?: NodeResponseLike } } }).runtime?.node?.res;
  return res ? nodeClientGone(res) : signalClientGone(request.signal);
}

function nodeClientGone(res: NodeResponseLike): ClientGone {
  const isGone = (): boolean => res.destroyed && !res.writableFinished;
  return {
    get gone() {
      return isGone();
    },
    subscribe(listener) {
      if (isGone()) {
        queueMicrotask(listener);
        return () => {};
      }
      const onClose = (): void => {
        if (!res.writableFinished) listener();
      };
      res.once('close', onClose);
      return () => res.off('close', onClose);
    },
  };
}

function signalClientGone(signal: AbortSignal): ClientGone {
  return {
    get gone() {
      return signal.aborted;
    },
    subscribe(listener) {
      if (signal.aborted) {
        queueMicrotask(listener);
        return () => {};
      }
      signal.addEventListener('abort', listener, { once: true });
      return () => signal.removeEventListener('abort', listener);
    },
  };
}
