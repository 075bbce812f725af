/**
 * `@tokenpak/server/node`: serve a gateway on a Node HTTP listener (listhen), with a port check and a
 * graceful close. The only Node-specific module of the package.
 */
import { type IncomingMessage, type OutgoingHttpHeaders, ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from 'h3/node';
import { listen } from 'listhen';
import type { Gateway } from './gateway.ts';

export interface ServeOptions {
  /** Interface to bind. Default: `config.server.host`. */
  host?: string;
  /** Port to bind; 0 picks a free one. Default: `config.server.port`. */
  port?: number;
}

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

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(
      `Port ${port} on ${host} is already in use: stop what is using it or choose another port (--port).`,
    );
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

export async function serve(gateway: Gateway, options: ServeOptions = {}): Promise<Server> {
  const host = options.host ?? gateway.config.server.host;
  const port = options.port ?? gateway.config.server.port;
  const listener = await listen(withReasonPhrases(toNodeHandler(gateway.app)), {
    // listhen reads 0 as "its default port": ask for a random free port explicitly instead.
    port: port === 0 ? { random: true } : port,
    hostname: host,
    public: ANY_HOST.has(host),
    showURL: false,
    open: false,
    clipboard: false,
    qr: false,
    tunnel: false,
    autoClose: false,
    isProd: true,
    ws: false,
  }).catch((error: unknown) => {
    const e = error as { name?: string; code?: string };
    if (e?.name === 'GetPortError' || e?.code === 'EADDRINUSE') throw new PortInUseError(host, port);
    throw error;
  });
  const address = listener.server.address() as AddressInfo;
  if (port !== 0 && address.port !== port) {
    // listhen quietly picks another port when the asked one is taken: refuse instead.
    await listener.close();
    throw new PortInUseError(host, port);
  }
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
