/**
 * Route wrappers of a cluster worker: a request that needs state another worker holds is forwarded to it.
 *
 * - `GET /v1/streams/{id}` and `GET /v1/responses/{id}[...]`: the owner is read from the id in the path.
 * - `POST /v1/responses` with a `previous_response_id` minted by another worker: the conversation lives there,
 *   so the whole request goes there (and the response it mints stays there, with the rest of the chain).
 *
 * A request that another worker forwarded is served where it lands; so is an id that names no worker, or a
 * worker that is not up (its state died with it: the route's own 404 says so).
 */
import type { RouteHandler } from '../http/route.ts';
import { FORWARDED_HEADER, forwardToWorker } from './forward-to-worker.ts';
import { ownerOfId } from './worker-ids.ts';
import type { WorkerRole } from './worker-role.ts';

/** For a route `prefix{id}…`: the owner named by the id's first characters. */
export function routeByPathId(role: WorkerRole, prefix: string, handler: RouteHandler): RouteHandler {
  return (request) => {
    if (request.headers.has(FORWARDED_HEADER)) return handler(request);
    const path = new URL(request.url).pathname;
    const owner = ownerOfId(decodeURIComponent(path.slice(prefix.length)));
    return toOwner(role, owner, request, undefined, () => handler(request));
  };
}

/** For `POST /v1/responses`: the owner of its `previous_response_id`, read from the body (kept for the handler). */
export function routeByPreviousResponse(
  role: WorkerRole,
  maxBodyBytes: number,
  handler: RouteHandler,
): RouteHandler {
  return async (request) => {
    if (request.headers.has(FORWARDED_HEADER) || !request.body) return handler(request);
    const read = await readUpTo(request.body, maxBodyBytes);
    if (read.rest) {
      // Over the limit: the handler answers 413 as usual, reading what is left.
      return handler(rebuilt(request, withRest(read.bytes, read.rest)));
    }
    const owner = previousResponseOwner(read.bytes);
    return toOwner(role, owner, request, read.bytes, () => handler(rebuilt(request, read.bytes)));
  };
}

async function toOwner(
  role: WorkerRole,
  owner: number | undefined,
  request: Request,
  body: Uint8Array | undefined,
  local: () => Response | Promise<Response>,
): Promise<Response> {
  const port = owner === undefined || owner === role.index ? undefined : role.peerPort(owner);
  if (port !== undefined && owner !== undefined) {
    const answer = await forwardToWorker(request, { port, owner, from: role.index, body });
    if (answer) return answer;
  }
  return local();
}

const PREVIOUS = new TextEncoder().encode('"previous_response_id"');
const PREVIOUS_VALUE = /^"previous_response_id"\s*:\s*"([^"\\]{1,200})"/;

/** The worker named by the body's `previous_response_id`, found without parsing the whole body. */
export function previousResponseOwner(body: Uint8Array): number | undefined {
  const at = Buffer.from(body.buffer, body.byteOffset, body.byteLength).indexOf(PREVIOUS);
  if (at < 0) return undefined;
  const text = new TextDecoder().decode(body.subarray(at, at + 300));
  const id = PREVIOUS_VALUE.exec(text)?.[1];
  return id === undefined ? undefined : ownerOfId(id);
}

/** Reads a body up to `max` bytes; past it, what was read and the unread rest. */
async function readUpTo(
  body: ReadableStream<Uint8Array>,
  max: number,
): Promise<{ bytes: Uint8Array; rest?: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
    if (total > max) return { bytes: concat(chunks, total), rest: reader };
  }
  return { bytes: concat(chunks, total) };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const all = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

function withRest(
  head: Uint8Array,
  rest: ReadableStreamDefaultReader<Uint8Array>,
): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    async pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(head);
        return;
      }
      const { done, value } = await rest.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return rest.cancel(reason);
    },
  });
}

/**
 * The same request with its body already read. It keeps the listener's `runtime` (srvx's Node request and
 * response), so the pipeline still writes to the Node response directly and lingers after a 413.
 */
function rebuilt(request: Request, body: Uint8Array | ReadableStream<Uint8Array>): Request {
  const copy = new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body,
    signal: request.signal,
    duplex: 'half',
  } as RequestInit);
  const runtime = (request as { runtime?: unknown }).runtime;
  if (runtime !== undefined) Object.defineProperty(copy, 'runtime', { value: runtime });
  return copy;
}
