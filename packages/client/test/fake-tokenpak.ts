/**
 * A small TokenPak stand-in on node:http that implements the resume protocol over a fixed event list:
 * `POST /v1/chat/completions | /v1/messages | /v1/responses` streams the events (SSE with `id:` per event and
 * `: ping` heartbeats, or NDJSON with `Accept: application/x-ndjson`) under `x-tokenpak-stream-id`, and
 * `GET /v1/streams/:id` serves the events after `Last-Event-ID` (or `?after=` lines). Each connection can be
 * cut at a chosen byte (socket destroyed, or a clean end), stalled, or the resume answered with an error.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Dialect = 'openai' | 'anthropic' | 'responses';
export type Framing = 'sse' | 'ndjson';

export interface WireEvent {
  event?: string;
  data: string;
}

export interface Scenario {
  events: WireEvent[];
  /** Per connection (0 = the POST, 1 = the first resume…): the byte at which it is cut; undefined = whole. */
  cuts?: (number | undefined)[];
  /** How a cut happens: the socket destroyed (default) or a clean end of the response. */
  cutStyle?: 'destroy' | 'end';
  /** Per connection: stop writing after this byte and keep the connection open. */
  stalls?: (number | undefined)[];
  /** SSE line ending. */
  lineEnding?: '\n' | '\r\n' | '\r';
  /** Write in chunks of 1..maxChunk bytes (seeded). Default 64. */
  maxChunk?: number;
  seed?: number;
  /** Answer every resume with this status (and a JSON error body). */
  resumeStatus?: number;
  /** Leave out the x-tokenpak-stream-id header. */
  noStreamId?: boolean;
  /** Answer the POST with this status and a JSON error body. */
  postStatus?: number;
}

export interface LoggedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  /** Resolves when the server sees the client's connection close. */
  closed: Promise<void>;
}

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [...'abcdefghij klmnop qrstuvwxyz  ,.!?"\\\n\té漢字🙂👍🏽ß€\u2028'];

/** A random answer with multi-byte characters, quotes, backslashes and newlines. */
export function randomText(random: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return text;
}

/** Splits text into deltas of 1..8 code points. */
export function splitDeltas(text: string, random: () => number): string[] {
  const points = Array.from(text);
  const deltas: string[] = [];
  let i = 0;
  while (i < points.length) {
    const n = 1 + Math.floor(random() * 8);
    deltas.push(points.slice(i, i + n).join(''));
    i += n;
  }
  return deltas;
}

const j = JSON.stringify;

/** The event list of a streamed answer in a dialect (SSE form; NDJSON leaves out `[DONE]`). */
export function dialectEvents(dialect: Dialect, deltas: string[]): WireEvent[] {
  const text = deltas.join('');
  if (dialect === 'openai') {
    const chunk = (delta: object, finish: string | null) =>
      j({
        id: 'chatcmpl-1',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'gpt-4-streaming',
        choices: [{ index: 0, delta, finish_reason: finish }],
      });
    return [
      { data: chunk({ role: 'assistant', content: '' }, null) },
      ...deltas.map((content) => ({ data: chunk({ content }, null) })),
      { data: chunk({}, 'stop') },
      { data: j({ id: 'chatcmpl-1', choices: [], usage: { prompt_tokens: 3, completion_tokens: 7 } }) },
      { data: '[DONE]' },
    ];
  }
  if (dialect === 'anthropic') {
    const ev = (type: string, body: object): WireEvent => ({ event: type, data: j({ type, ...body }) });
    return [
      ev('message_start', { message: { id: 'msg_1', role: 'assistant', content: [], model: 'claude' } }),
      ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      ev('ping', {}),
      ...deltas.map((t) => ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: t } })),
      ev('content_block_stop', { index: 0 }),
      ev('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 7 } }),
      ev('message_stop', {}),
    ];
  }
  let seq = 0;
  const ev = (type: string, body: object): WireEvent => ({
    event: type,
    data: j({ type, sequence_number: seq++, ...body }),
  });
  const item = { id: 'msg_1', type: 'message', role: 'assistant', status: 'in_progress', content: [] };
  return [
    ev('response.created', { response: { id: 'resp_1', status: 'in_progress', output: [] } }),
    ev('response.in_progress', { response: { id: 'resp_1', status: 'in_progress', output: [] } }),
    ev('response.output_item.added', { output_index: 0, item }),
    ev('response.content_part.added', { item_id: 'msg_1', output_index: 0, content_index: 0, part: {} }),
    ...deltas.map((delta) =>
      ev('response.output_text.delta', { item_id: 'msg_1', output_index: 0, content_index: 0, delta }),
    ),
    ev('response.output_text.done', { item_id: 'msg_1', output_index: 0, content_index: 0, text }),
    ev('response.content_part.done', { item_id: 'msg_1', output_index: 0, content_index: 0, part: {} }),
    ev('response.output_item.done', { output_index: 0, item: { ...item, status: 'completed' } }),
    ev('response.completed', { response: { id: 'resp_1', status: 'completed', output: [] } }),
  ];
}

export const PATHS: Record<Dialect, string> = {
  openai: '/v1/chat/completions',
  anthropic: '/v1/messages',
  responses: '/v1/responses',
};

interface StreamState {
  scenario: Scenario;
  framing: Framing;
  auth: string | undefined;
  connections: number;
}

export class FakeTokenPak {
  readonly requests: LoggedRequest[] = [];
  private server: Server | undefined;
  private streams = new Map<string, StreamState>();
  private nextScenario: Scenario | undefined;
  private counter = 0;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        res.destroy(error);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** The scenario of the next POST; returns the stream id it will get. */
  next(scenario: Scenario): string {
    this.nextScenario = scenario;
    return 's' + (this.counter + 1);
  }

  resumeRequests(streamId: string): LoggedRequest[] {
    return this.requests.filter((r) => r.method === 'GET' && r.url.startsWith('/v1/streams/' + streamId));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const closed = new Promise<void>((resolve) => res.on('close', () => resolve()));
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, closed });
    for await (const _ of req) {
      // drain the body
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const auth = header(req, 'authorization') ?? header(req, 'x-api-key');
    if (req.method === 'POST') {
      const scenario = this.nextScenario;
      this.nextScenario = undefined;
      if (!scenario) return json(res, 500, { error: { message: 'no scenario' } });
      if (scenario.postStatus !== undefined) {
        return json(res, scenario.postStatus, { error: { type: 'rate_limit_error', message: 'slow down' } });
      }
      const id = 's' + ++this.counter;
      const framing: Framing = (header(req, 'accept') ?? '').includes('ndjson') ? 'ndjson' : 'sse';
      const state: StreamState = { scenario, framing, auth, connections: 0 };
      this.streams.set(id, state);
      return this.serve(res, id, state, 0);
    }
    const match = /^\/v1\/streams\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && match) {
      const id = decodeURIComponent(match[1]!);
      const state = this.streams.get(id);
      if (!state) {
        return json(res, 404, { error: { type: 'not_found_error', message: `unknown stream ${id}` } });
      }
      if (state.auth !== auth) return json(res, 401, { error: { message: 'wrong key' } });
      if (state.scenario.resumeStatus !== undefined) {
        const status = state.scenario.resumeStatus;
        return json(res, status, { error: { message: status === 404 ? `stream ${id} expired` : 'busy' } });
      }
      let from: number;
      if (state.framing === 'sse') {
        from = Number(header(req, 'last-event-id') ?? url.searchParams.get('last_event_id') ?? 0);
      } else {
        from = Number(url.searchParams.get('after') ?? 0);
      }
      return this.serve(res, id, state, from);
    }
    return json(res, 404, { error: { message: 'no route' } });
  }

  /** Writes the events after `from` (ids / lines count from 1), cut or stalled as the scenario says. */
  private async serve(res: ServerResponse, id: string, state: StreamState, from: number): Promise<void> {
    const { scenario, framing } = state;
    const connection = state.connections++;
    const random = prng((scenario.seed ?? 1) * 7919 + connection);
    const eol = scenario.lineEnding ?? '\n';
    let body = '';
    if (framing === 'sse') {
      scenario.events.forEach((event, index) => {
        const n = index + 1;
        if (n <= from) return;
        if (random() < 0.15) body += ': ping' + eol + eol;
        body += (event.event === undefined ? '' : 'event: ' + event.event + eol) + 'id: ' + n + eol;
        body += 'data: ' + event.data + eol + eol;
      });
    } else {
      const lines = scenario.events.filter((e) => e.data !== '[DONE]');
      for (const event of lines.slice(from)) body += event.data + '\n';
    }
    const bytes = new TextEncoder().encode(body);
    const headers: Record<string, string> = {
      'content-type': framing === 'sse' ? 'text/event-stream; charset=utf-8' : 'application/x-ndjson',
      'cache-control': 'no-cache',
    };
    if (!scenario.noStreamId) headers['x-tokenpak-stream-id'] = id;
    res.writeHead(200, headers);
    res.flushHeaders();
    const cut = scenario.cuts?.[connection];
    const stall = scenario.stalls?.[connection];
    const limit = Math.min(bytes.length, cut ?? Infinity, stall ?? Infinity);
    const maxChunk = scenario.maxChunk ?? 64;
    let offset = 0;
    let writes = 0;
    while (offset < limit) {
      const size = Math.min(limit - offset, 1 + Math.floor(random() * maxChunk));
      const chunk = bytes.subarray(offset, offset + size);
      offset += size;
      await new Promise<void>((resolve) => res.write(chunk, () => resolve()));
      if (++writes % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (res.destroyed) return;
    }
    if (stall !== undefined && (cut === undefined || stall <= cut)) return; // keep the connection open
    if (cut !== undefined && cut < bytes.length) {
      if ((scenario.cutStyle ?? 'destroy') === 'end') res.end();
      else res.socket?.destroy();
      return;
    }
    res.end();
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The byte length of a connection's body when served from the start (SSE without heartbeats or NDJSON). */
export function bodyLength(events: WireEvent[], framing: Framing): number {
  let length = 0;
  const enc = new TextEncoder();
  for (const [index, event] of events.entries()) {
    if (framing === 'ndjson') {
      if (event.data !== '[DONE]') length += enc.encode(event.data + '\n').length;
    } else {
      const head = (event.event === undefined ? '' : 'event: ' + event.event + '\n') + 'id: ' + (index + 1);
      length += enc.encode(head + '\ndata: ' + event.data + '\n\n').length;
    }
  }
  return length;
}
