/**
 * A fake upstream for every wire API: the upstream model id names what it answers with, always as an SSE
 * stream (a provider asked for one JSON body reads a stream anyway): a recording (`openai/…`,
 * `openai-compatible/…`, `anthropic/…`, in the package that owns it), or a wire registered with `answer()`.
 * Every request is recorded with its path, headers and parsed body.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, any>;
}

export interface RecordingUpstream {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Registers the SSE wire answered to upstream model id `model`. */
  answer(model: string, wire: string): void;
  close(): Promise<void>;
}

export function recording(path: string): string {
  const home = path.startsWith('anthropic/') ? 'anthropic' : 'openai';
  return readFileSync(new URL(`../../../${home}/test/fixtures/${path}`, import.meta.url), 'utf8');
}

export async function startRecordingUpstream(): Promise<RecordingUpstream> {
  const requests: RecordedRequest[] = [];
  const wires = new Map<string, string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: Record<string, any> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        // recorded as {}
      }
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      const model = String(body.model ?? '');
      let wire = wires.get(model);
      if (wire === undefined) {
        try {
          wire = recording(model);
        } catch {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: `no answer for model ${model}`, type: 'not_found' } }));
          return;
        }
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(wire);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    answer: (model, wire) => void wires.set(model, wire),
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
