/**
 * HTTP on a new connection each time (no keep-alive pool), so that node:cluster hands every request to the next
 * worker in turn: how the --workers tests reach both workers on purpose.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request } from 'node:http';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body, still arriving. */
  body: IncomingMessage;
  /** The worker that answered (`x-tokenpak-worker`). */
  worker: string;
}

export function send(
  url: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; json?: unknown } = {},
): Promise<Answer> {
  const target = new URL(path, url);
  const payload = options.json === undefined ? undefined : JSON.stringify(options.json);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: options.method ?? (payload === undefined ? 'GET' : 'POST'),
        agent: false,
        headers: {
          ...(payload !== undefined && { 'content-type': 'application/json' }),
          ...options.headers,
        },
      },
      (res) =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: res,
          worker: String(res.headers['x-tokenpak-worker']),
        }),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export async function text(body: IncomingMessage): Promise<string> {
  let out = '';
  body.setEncoding('utf8');
  for await (const chunk of body) out += chunk;
  return out;
}

/** Reads until `needle` has arrived; resolves with what was read (the rest keeps arriving). */
export function readUntil(body: IncomingMessage, needle: string): Promise<string> {
  body.setEncoding('utf8');
  let seen = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: string) => {
      seen += chunk;
      if (seen.includes(needle)) {
        body.off('data', onData);
        body.pause();
        resolve(seen);
      }
    };
    body.on('data', onData);
    body.on('error', reject);
    body.on('end', () => resolve(seen));
  });
}

/** The SSE event ids (`id: n`) in a piece of a stream. */
export function eventIds(sse: string): number[] {
  return [...sse.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
}
