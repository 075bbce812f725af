/**
 * Sends a request to another worker's private loopback listener and streams its answer back: how a worker
 * serves a stream log or a stored response that another worker holds. The body (when there is one) is passed
 * through; hop-by-hop headers are not. The answer says where it came from (`x-tokenpak-forwarded-to`).
 * Resolves to undefined when that worker cannot be reached (it died and has not come back).
 */

/** Headers that belong to one connection, never forwarded (RFC 9110 §7.6.1), and the worker's own name. */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
];

/** Set on a forwarded request: the worker that gets it serves it itself, whatever the id says. */
export const FORWARDED_HEADER = 'x-tokenpak-forwarded-from';

export async function forwardToWorker(
  request: Request,
  target: { port: number; owner: number; from: number; body?: Uint8Array },
): Promise<Response | undefined> {
  const url = new URL(request.url);
  const headers = new Headers(request.headers);
  for (const name of HOP_BY_HOP) headers.delete(name);
  headers.set(FORWARDED_HEADER, String(target.from));
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let answer: Response;
  try {
    answer = await fetch(`http://127.0.0.1:${target.port}${url.pathname}${url.search}`, {
      method: request.method,
      headers,
      body: hasBody ? (target.body ?? request.body) : undefined,
      signal: request.signal,
      redirect: 'manual',
      ...(hasBody && target.body === undefined && { duplex: 'half' }),
    } as RequestInit);
  } catch {
    return undefined;
  }
  const out = new Headers(answer.headers);
  for (const name of HOP_BY_HOP) out.delete(name);
  // The answering worker is this one (its listener names it); the owner is named apart.
  out.delete('x-tokenpak-worker');
  out.set('x-tokenpak-forwarded-to', String(target.owner));
  return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers: out });
}
