/**
 * A TCP proxy in front of a server that cuts connections: each response (a chunk that starts with `HTTP/1.1`,
 * also on a kept-alive connection) is given a budget of body bytes (from `budget()`), and once the server has sent
 * that many to the client both sockets are destroyed, as a dropped network would. `undefined` from `budget()`
 * lets a response through uncut.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface CuttingProxy {
  readonly url: string;
  readonly cuts: number;
  close(): Promise<void>;
}

export async function startCuttingProxy(
  target: URL,
  budget: () => number | undefined,
): Promise<CuttingProxy> {
  let cuts = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    let left: number | undefined;
    const cut = (): void => {
      cuts++;
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (data) => upstream.write(data));
    upstream.on('data', (data: Buffer) => {
      if (data.subarray(0, 9).toString('latin1') === 'HTTP/1.1 ') {
        // A new response: its budget counts body bytes (the headers, which carry the stream id, go through).
        left = budget();
        const headersEnd = data.indexOf('\r\n\r\n');
        if (left !== undefined) left += headersEnd === -1 ? data.byteLength : headersEnd + 4;
      }
      if (left === undefined) {
        client.write(data);
        return;
      }
      if (data.byteLength < left) {
        left -= data.byteLength;
        client.write(data);
        return;
      }
      client.write(data.subarray(0, left), cut);
      left = 0;
    });
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    get cuts() {
      return cuts;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
