// Child process entry: the Node floor. The least a Node proxy can do: `node:http` in, one undici `Pool` to
// the upstream out, the request body passed on and the answer's chunks written with `res.write` as they come
// (backpressure kept), nothing parsed, nothing checked. What it costs per request is what Node itself costs
// (HTTP parsing, sockets, undici), so TokenPak's CPU per request ÷ the floor's is TokenPak's own share, and
// the floor ÷ nginx is the platform's. BENCH_UPSTREAM_URL says where the upstream is.
import { createServer } from 'node:http';
import { Pool } from 'undici';
import { reportFailure, serveControl } from './child-control.mjs';

try {
  const origin = process.env.BENCH_UPSTREAM_URL;
  if (!origin) throw new Error('BENCH_UPSTREAM_URL is not set');
  const pool = new Pool(origin);
  const server = createServer(async (req, res) => {
    try {
      const parts = [];
      for await (const part of req) parts.push(part);
      const answer = await pool.request({
        path: req.url ?? '/',
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: req.headers.accept ?? '*/*' },
        body: Buffer.concat(parts),
      });
      res.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type'] ?? '') });
      answer.body.on('data', (chunk) => {
        if (!res.write(chunk)) {
          answer.body.pause();
          res.once('drain', () => answer.body.resume());
        }
      });
      answer.body.on('end', () => res.end());
      answer.body.on('error', () => res.destroy());
      res.on('close', () => answer.body.destroy());
    } catch {
      res.destroy();
    }
  });
  await new Promise((resolve) =>
    server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => resolve(undefined)),
  );
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  serveControl({
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
      await pool.close();
    },
  });
} catch (error) {
  reportFailure(error);
}
