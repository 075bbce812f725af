/**
 * A local fake upstream on 127.0.0.1 (port 0): records every request and answers with a handler, e.g. a
 * recorded fixture replayed in small random chunks with delays.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type ReplayMode, replayChunks } from './replay-modes.ts';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The body parsed as JSON; undefined when it is empty or not JSON. */
  json: unknown;
  /** The client's port: equal for two requests that shared one keep-alive connection. */
  remotePort: number;
  /** Resolves when the response's connection closes: `finished` is false when the client hung up first. */
  closed: Promise<{ finished: boolean }>;
}

export type Handler = (request: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface FakeUpstream {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: RecordedRequest[];
  /** Sets how the next requests are answered. */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function startFakeUpstream(handler?: Handler): Promise<FakeUpstream> {
  let current: Handler =
    handler ??
    ((_, res) => {
      res.writeHead(500).end('no handler');
    });
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const closed = new Promise<{ finished: boolean }>((resolve) => {
      res.once('close', () => resolve({ finished: res.writableFinished }));
    });
    const body = Buffer.concat(chunks).toString('utf8');
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body,
      json: parseJson(body),
      remotePort: req.socket.remotePort ?? 0,
      closed,
    };
    requests.push(recorded);
    try {
      await current(recorded, res);
    } catch {
      res.destroy();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      current = next;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface ReplayOptions {
  /** Default 200. */
  status?: number;
  /** Default `text/event-stream; charset=utf-8`. */
  contentType?: string;
  headers?: Record<string, string>;
  /** How to cut the body and treat its line endings (see replay-modes.ts). Default: whole, as recorded. */
  mode?: Pick<ReplayMode, 'split' | 'lineEndings'>;
  /** Shorthand for `mode.split` as random chunks of 1..maxChunk bytes (with this seed). */
  chunking?: { seed: number; maxChunk: number; maxDelayMs?: number };
  /** Shorthand for `mode.lineEndings: 'crlf'`: turn every LF into CRLF. */
  crlf?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

/**
 * Writes `body` as the response: whole, or chunk by chunk as `mode` plans it, each chunk its own write (and
 * HTTP chunk) followed by its pause or at least a turn of the event loop. TCP may still merge chunks on the way.
 */
export async function replay(res: ServerResponse, body: string | Uint8Array, options: ReplayOptions = {}) {
  const mode = options.mode ?? {
    split: options.chunking ?? 'whole',
    lineEndings: options.crlf ? 'crlf' : 'as-recorded',
  };
  const chunks = replayChunks(body, mode);
  res.writeHead(options.status ?? 200, {
    'content-type': options.contentType ?? 'text/event-stream; charset=utf-8',
    ...options.headers,
  });
  if (chunks.length === 1) {
    res.end(chunks[0]?.bytes);
    return;
  }
  for (const chunk of chunks) {
    if (res.destroyed) return;
    const drained = res.write(chunk.bytes);
    if (!drained) await drainOrClose(res);
    await (chunk.delayMs > 0 ? sleep(chunk.delayMs) : nextTurn());
  }
  if (!res.destroyed) res.end();
}
