/**
 * `@tokenpak/server/node`: serve a gateway on a Node HTTP listener (`node:http`), with a port check, a deep
 * accept queue and a graceful close. The only Node-specific module of the package.
 */
import cluster from 'node:cluster';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from 'h3/node';
import type { Gateway } from './gateway.ts';

export interface ServeOptions {
  /** Interface to bind. Default: `config.server.host`. */
  host?: string;
  /** Port to bind; 0 picks a free one. Default: `config.server.port`. */
  port?: number;
  /**
   * In a cluster worker: bind this listener alone (a worker's private loopback listener) rather than share the
   * primary's. Ignored outside a cluster.
   */
  exclusive?: boolean;
  /** Headers set on every response of this listener (a cluster worker names itself: `x-tokenpak-worker`). */
  headers?: Readonly<Record<string, string>>;
  /**
   * Connections the kernel queues for this listener before it refuses more (`listen(2)`'s backlog, capped by
   * `net.core.somaxconn`). Default 4096: Node's own default (511) overflowed under a burst of 1,000 new
   * streams in a second, and each refused connect cost its client a SYN retransmit (1 s, then 3 s).
   */
  backlog?: number;
}

/** See `ServeOptions.backlog`. */
export const DEFAULT_BACKLOG = 4096;

export interface Server {
  /** `http://host:port` actually bound (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /**
   * Stops accepting connections, lets open streams finish within `graceMs` (default
   * `server.shutdown_grace_ms`), then ends the rest cleanly and closes every connection. Idempotent.
   * The gateway's registry stays open: call `gateway.close()` after this.
   */
  close(graceMs?: number): Promise<void>;
}

/** The listener could not bind: the message says why in the user's terms (which flag to change). */
export class ListenError extends Error {
  override readonly name: string = 'ListenError';
  constructor(
    readonly host: string,
    readonly port: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export class PortInUseError extends ListenError {
  override readonly name = 'PortInUseError';
  constructor(host: string, port: number) {
    super(
      host,
      port,
      `Port ${port} on ${host} is already in use: stop what is using it or choose another port (--port).`,
      'EADDRINUSE',
    );
  }
}

/** A bind error as a ListenError when its cause is the host or port given; anything else as it is. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new PortInUseError(host, port);
    case 'EADDRNOTAVAIL':
      return new ListenError(
        host,
        port,
        `${host} is not an address of this machine: listen on 127.0.0.1, 0.0.0.0 (every interface) or one of its own addresses (--host).`,
        error.code,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return new ListenError(
        host,
        port,
        `${host} is not a host name or address this machine can resolve (--host).`,
        error.code,
      );
    case 'EACCES':
      return new ListenError(
        host,
        port,
        `Port ${port} needs privileges this process does not have (ports below 1024 usually do): choose another port (--port).`,
        error.code,
      );
    default:
      return error;
  }
}

const ANY_HOST = new Set(['0.0.0.0', '::', '']);

const writeHead = ServerResponse.prototype.writeHead;

/**
 * srvx writes the Response's `statusText`, which is '' for `new Response(body, { status })`: Node then
 * sends `HTTP/1.1 200 ` with an empty reason phrase. Send the standard phrase instead when there is none.
 */
function writeHeadWithReason(
  this: ServerResponse,
  status: number,
  reason?: string | OutgoingHttpHeaders | (string | string[])[],
  headers?: OutgoingHttpHeaders | (string | string[])[],
): ServerResponse {
  if (reason === '' || reason === undefined) reason = STATUS_CODES[status] ?? '';
  return (writeHead as (...args: unknown[]) => ServerResponse).call(this, status, reason, headers);
}

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

function withReasonPhrases(handler: NodeHandler): NodeHandler {
  return (req, res) => {
    res.writeHead = writeHeadWithReason as ServerResponse['writeHead'];
    return handler(req, res);
  };
}

/** Sets `headers` on every response before the handler runs (its own headers still win). */
function withListenerHeaders(handler: NodeHandler, headers: ServeOptions['headers']): NodeHandler {
  if (!headers) return handler;
  const entries = Object.entries(headers);
  return (req, res) => {
    for (const [name, value] of entries) res.setHeader(name, value);
    return handler(req, res);
  };
}

/**
 * Binds a `node:http` server. (listhen, used before, passes no backlog to `listen()`; its port probe and
 * random port are what `port: 0` and EADDRINUSE give here.) In a cluster worker the primary shares the socket
 * unless `exclusive`; Node gives every worker that listens on port 0 the same shared port.
 */
async function listenNode(
  handler: NodeHandler,
  host: string,
  port: number,
  options: { exclusive: boolean; backlog: number },
): Promise<{ server: ReturnType<typeof createServer>; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, port)));
    server.listen({ host, port, exclusive: options.exclusive, backlog: options.backlog }, resolve);
  });
  return {
    server,
    // Node 19+ closes idle keep-alive connections on close(); busy ones end after their response.
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function serve(gateway: Gateway, options: ServeOptions = {}): Promise<Server> {
  const host = options.host ?? gateway.config.server.host;
  const port = options.port ?? gateway.config.server.port;
  const handler = withListenerHeaders(withReasonPhrases(toNodeHandler(gateway.app)), options.headers);
  const listener = await listenNode(handler, host, port, {
    exclusive: cluster.isWorker && options.exclusive === true,
    backlog: options.backlog ?? DEFAULT_BACKLOG,
  });
  const address = listener.server.address() as AddressInfo;
  const urlHost = ANY_HOST.has(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${address.port}`;
  let closing: Promise<void> | undefined;

  const close = async (graceMs?: number): Promise<void> => {
    // Stop accepting; idle keep-alive connections close now, busy ones after their response.
    const stopped = listener.close();
    await gateway.drain(graceMs);
    const server = listener.server as { closeAllConnections?: () => void };
    // Streams have ended cleanly by now; give sockets a moment to flush, then cut what is left.
    const hardStop = setTimeout(() => server.closeAllConnections?.(), 1000);
    await stopped;
    clearTimeout(hardStop);
  };

  return {
    url,
    port: address.port,
    close(graceMs) {
      closing ??= close(graceMs);
      return closing;
    },
  };
}
