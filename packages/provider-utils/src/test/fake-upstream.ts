/**
 * A local fake upstream on 127.0.0.1 (port 0): records every request and answers with a handler, e.g. a
 * recorded fixture replayed in small random chunks with delays.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
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
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
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

/** A small seeded PRNG (mulberry32), so that a failing chunking can be reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ReplayOptions {
  status?: number;
  contentType?: string;
  headers?: Record<string, string>;
  /** Cut the body into random chunks of 1..maxChunk bytes (with this seed). */
  chunking?: { seed: number; maxChunk: number; maxDelayMs?: number };
  /** Turn every LF into CRLF. */
  crlf?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes `body` as the response, whole or in random chunks with small delays. */
export async function replay(res: ServerResponse, body: string | Buffer, options: ReplayOptions = {}) {
  let bytes = typeof body === 'string' ? Buffer.from(body) : body;
  if (options.crlf) bytes = Buffer.from(bytes.toString('utf8').replace(/\r?\n/g, '\r\n'));
  res.writeHead(options.status ?? 200, {
    'content-type': options.contentType ?? 'text/event-stream; charset=utf-8',
    ...options.headers,
  });
  if (!options.chunking) {
    res.end(bytes);
    return;
  }
  const random = seededRandom(options.chunking.seed);
  let offset = 0;
  while (offset < bytes.length) {
    if (res.destroyed) return;
    const size = 1 + Math.floor(random() * options.chunking.maxChunk);
    res.write(bytes.subarray(offset, offset + size));
    offset += size;
    const delay = Math.floor(random() * (options.chunking.maxDelayMs ?? 0));
    if (delay > 0) await sleep(delay);
  }
  res.end();
}
