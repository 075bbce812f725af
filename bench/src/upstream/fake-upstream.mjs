// A fake model provider on plain node:http, as fast as it can be: it speaks the OpenAI Chat Completions and
// Anthropic Messages wire formats (streamed and not), from pre-encoded chunks. Per-request knobs (tokens,
// time to first token, gap between tokens) come from the prompt (see knobs.mjs).
import { createServer } from 'node:http';
import { parseKnobs } from './knobs.mjs';
import { anthropicMessageBody, anthropicStreamPieces, anthropicTail } from './wire-anthropic.mjs';
import { openaiCompletionBody, openaiStreamPieces, openaiUsageChunk } from './wire-openai.mjs';

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
const BODY_CACHE_LIMIT = 256;

export function createFakeUpstream() {
  /** gap in ms → { timer, streams: Set } : one timer per gap drives every slow stream. */
  const tickers = new Map();
  /** Whole bodies of responses with no gap, keyed by dialect, model, tokens and usage. */
  const bodies = new Map();
  const counters = { requests: 0, streams: 0, openStreams: 0, aborted: 0 };

  const server = createServer({ keepAliveTimeout: 120_000, noDelay: true, requestTimeout: 0 }, onRequest);
  server.headersTimeout = 60_000;

  function onRequest(req, res) {
    const dialect = dialectOf(req);
    if (dialect === null) {
      const ok = req.method === 'GET' && req.url === '/health';
      res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
      res.end(ok ? '{"ok":true}' : '{"error":{"message":"not found"}}');
      req.resume();
      return;
    }
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const raw = chunks.length === 1 ? chunks[0].toString() : Buffer.concat(chunks).toString();
      let body;
      try {
        body = JSON.parse(raw);
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"malformed JSON"}}');
        return;
      }
      counters.requests++;
      const knobs = parseKnobs(raw);
      const model = typeof body.model === 'string' ? body.model : 'bench';
      const respond =
        body.stream === true
          ? () => stream(res, dialect, model, knobs, body)
          : () => whole(res, dialect, model, knobs);
      if (knobs.ttftMs > 0) setTimeout(respond, knobs.ttftMs);
      else respond();
    });
  }

  function whole(res, dialect, model, { tokens }) {
    const key = `${dialect}|${model}|${tokens}|whole`;
    let buf = bodies.get(key);
    if (buf === undefined) {
      buf = dialect === 'openai' ? openaiCompletionBody(model, tokens) : anthropicMessageBody(model, tokens);
      remember(key, buf);
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': buf.length });
    res.end(buf);
  }

  function stream(res, dialect, model, { tokens, gapMs }, body) {
    if (res.destroyed) return;
    counters.streams++;
    const usage = dialect === 'openai' && body.stream_options?.include_usage === true;
    const pieces = dialect === 'openai' ? openaiStreamPieces(model) : anthropicStreamPieces(model);
    res.writeHead(200, SSE_HEADERS);
    if (gapMs === 0 || tokens <= 1) {
      const key = `${dialect}|${model}|${tokens}|${usage}`;
      let buf = bodies.get(key);
      if (buf === undefined) {
        const parts = [pieces.head];
        for (let i = 0; i < tokens; i++) parts.push(pieces.deltas[i % pieces.deltas.length]);
        parts.push(tail(dialect, model, tokens, usage));
        buf = Buffer.concat(parts);
        remember(key, buf);
      }
      res.end(buf);
      return;
    }
    res.cork();
    res.write(pieces.head);
    res.write(pieces.deltas[0]);
    res.uncork();
    counters.openStreams++;
    const entry = { res, next: 1, tokens, deltas: pieces.deltas, dialect, model, usage };
    tickerFor(gapMs).streams.add(entry);
    res.on('close', () => {
      if (entry.next < tokens) counters.aborted++;
    });
  }

  function tail(dialect, model, tokens, usage) {
    if (dialect === 'anthropic') return anthropicTail(tokens);
    const pieces = openaiStreamPieces(model);
    return usage
      ? Buffer.concat([pieces.finish, openaiUsageChunk(model, tokens), pieces.done])
      : Buffer.concat([pieces.finish, pieces.done]);
  }

  function tickerFor(gapMs) {
    let ticker = tickers.get(gapMs);
    if (ticker) return ticker;
    const streams = new Set();
    const timer = setInterval(() => {
      for (const entry of streams) {
        const { res } = entry;
        if (res.destroyed) {
          streams.delete(entry);
          counters.openStreams--;
          continue;
        }
        res.write(entry.deltas[entry.next % entry.deltas.length]);
        entry.next++;
        if (entry.next >= entry.tokens) {
          res.end(tail(entry.dialect, entry.model, entry.tokens, entry.usage));
          streams.delete(entry);
          counters.openStreams--;
        }
      }
      if (streams.size === 0) {
        clearInterval(timer);
        tickers.delete(gapMs);
      }
    }, gapMs);
    ticker = { timer, streams };
    tickers.set(gapMs, ticker);
    return ticker;
  }

  function remember(key, buf) {
    if (bodies.size >= BODY_CACHE_LIMIT) bodies.clear();
    bodies.set(key, buf);
  }

  return {
    server,
    counters,
    /** @returns {Promise<string>} the base URL, e.g. http://127.0.0.1:41234 */
    listen({ host = '127.0.0.1', port = 0 } = {}) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host, port, backlog: 8192 }, () => {
          const address = /** @type {import('node:net').AddressInfo} */ (server.address());
          resolve(`http://${host}:${address.port}`);
        });
      });
    },
    close() {
      for (const { timer } of tickers.values()) clearInterval(timer);
      tickers.clear();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function dialectOf(req) {
  if (req.method !== 'POST') return null;
  const url = req.url;
  if (url.startsWith('/v1/chat/completions')) return 'openai';
  if (url.startsWith('/v1/messages')) return 'anthropic';
  return null;
}
