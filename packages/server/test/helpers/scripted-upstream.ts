/**
 * A fake upstream that follows a script per upstream model id: each request for that model takes the next
 * step (the last step repeats). Steps:
 * - `status:<code>` (with optional headers): an error answer in the path's dialect
 * - `reset`: the socket is destroyed before any answer
 * - `inband-error`: a 200 stream whose first event is an error (Anthropic `overloaded_error`, OpenAI `error`)
 * - `stall:<ms>`: a 200 stream that starts (role / message_start) but sends no content for <ms>, then ends
 * - `cut-after-content`: a 200 stream that sends content, then the socket is destroyed
 * - `ok:<recording>`: the recording (`openai/…`, `anthropic/…`)
 * - `trickle:<ms>`: a 200 JSON answer whose body is only a space every <ms>, never ending (keep-alive bytes)
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recording } from './recording-upstream.ts';

export interface ScriptedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, any>;
  at: number;
}

export interface ScriptedUpstream {
  readonly url: string;
  readonly requests: ScriptedRequest[];
  script(
    model: string,
    steps: Array<string | { status: number; headers?: Record<string, string>; body?: unknown }>,
  ): void;
  requestsFor(model: string): ScriptedRequest[];
  close(): Promise<void>;
}

const ANTHROPIC_START =
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_s","type":"message","role":"assistant","content":[],"model":"m","usage":{"input_tokens":3,"output_tokens":1}}}\n\n' +
  'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n';
const ANTHROPIC_CONTENT =
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Partial"}}\n\n';
const OPENAI_START =
  'data: {"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n';
const OPENAI_CONTENT =
  'data: {"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"Partial"},"finish_reason":null}]}\n\n';

export async function startScriptedUpstream(): Promise<ScriptedUpstream> {
  const requests: ScriptedRequest[] = [];
  const scripts = new Map<
    string,
    Array<string | { status: number; headers?: Record<string, string>; body?: unknown }>
  >();
  const served = new Map<string, number>();
  /** Index in `requests` from which a model's requests count (its last script() call). */
  const since = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      const model = String(body.model ?? '');
      requests.push({ path: req.url ?? '', headers: req.headers, body, at: performance.now() });
      const anthropic = (req.url ?? '').includes('/messages');
      const scripted = scripts.get(model);
      const steps =
        scripted && scripted.length > 0
          ? scripted
          : ['ok:' + (anthropic ? 'anthropic/text.sse' : 'openai/chat-text-include-usage.sse')];
      const n = served.get(model) ?? 0;
      served.set(model, n + 1);
      const step = steps[Math.min(n, steps.length - 1)]!;
      if (typeof step === 'object') {
        res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
        res.end(JSON.stringify(step.body ?? errorBody(anthropic, step.status)));
        return;
      }
      const [kind, arg] = [
        step.slice(0, step.indexOf(':') === -1 ? step.length : step.indexOf(':')),
        step.slice(step.indexOf(':') + 1),
      ];
      if (kind === 'status') {
        const status = Number(arg);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(errorBody(anthropic, status)));
        return;
      }
      if (kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (kind === 'trickle') {
        res.writeHead(200, { 'content-type': 'application/json' });
        const timer = setInterval(() => res.write(' '), Number(arg));
        res.on('close', () => clearInterval(timer));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (kind === 'ok') {
        res.end(recording(arg));
        return;
      }
      if (kind === 'inband-error') {
        res.end(
          anthropic
            ? `${ANTHROPIC_START}event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n`
            : `${OPENAI_START}data: {"error":{"message":"The server had an error","type":"server_error"}}\n\n`,
        );
        return;
      }
      if (kind === 'stall') {
        res.write(anthropic ? ANTHROPIC_START : OPENAI_START);
        const timer = setTimeout(() => res.end(), Number(arg));
        res.on('close', () => clearTimeout(timer));
        return;
      }
      if (kind === 'cut-after-content') {
        res.write(anthropic ? ANTHROPIC_START + ANTHROPIC_CONTENT : OPENAI_START + OPENAI_CONTENT, () => {
          setTimeout(() => req.socket.destroy(), 20);
        });
        return;
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    script: (model, steps) => {
      scripts.set(model, steps);
      served.set(model, 0);
      since.set(model, requests.length);
    },
    requestsFor: (model) => requests.slice(since.get(model) ?? 0).filter((r) => r.body.model === model),
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function errorBody(anthropic: boolean, status: number): unknown {
  if (anthropic) {
    const type =
      status === 529
        ? 'overloaded_error'
        : status === 429
          ? 'rate_limit_error'
          : status >= 500
            ? 'api_error'
            : 'invalid_request_error';
    return { type: 'error', error: { type, message: `upstream says ${status}` } };
  }
  const type =
    status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { message: `upstream says ${status}`, type, code: null } };
}
