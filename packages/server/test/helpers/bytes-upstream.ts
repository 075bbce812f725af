/**
 * A fake upstream on 127.0.0.1:0 that answers each upstream model id with exactly the bytes a test set for it:
 * a status, a content type and the body's parts, each written (and flushed) on its own. For upstreams that
 * misbehave in ways no recording does: an error event echoing a key, a data line that is not JSON, an HTML page.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BytesAnswer {
  /** Default 200. */
  status?: number;
  /** Default `text/event-stream`. */
  contentType?: string;
  /** Written one after another, a few milliseconds apart. */
  parts: string[];
}

export interface BytesUpstream {
  readonly url: string;
  /** Requests served per upstream model id. */
  readonly served: Map<string, number>;
  answer(model: string, answer: BytesAnswer): void;
  close(): Promise<void>;
}

export async function startBytesUpstream(): Promise<BytesUpstream> {
  const answers = new Map<string, BytesAnswer>();
  const served = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const model = String(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}').model ?? '');
      served.set(model, (served.get(model) ?? 0) + 1);
      const answer = answers.get(model);
      if (!answer) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no answer set for ${model}` } }));
        return;
      }
      res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'text/event-stream' });
      for (const part of answer.parts) {
        if (res.destroyed) return;
        res.write(part);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    answer: (model, answer) => answers.set(model, answer),
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
