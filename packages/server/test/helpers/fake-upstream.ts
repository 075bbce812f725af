/**
 * A fake OpenAI + Anthropic upstream on 127.0.0.1:0 (node:http) that replays the recorded streams in
 * packages/providers/test/fixtures. The upstream model id in the request body picks the behaviour:
 *   - `fixture:<dir>/<file>.sse`   replay that recording (streamed requests)
 *   - `status:<code>`              answer with that status and the dialect's error body
 *   - `midstream-cut:<file>`       replay the first half of the recording, then destroy the socket
 *   - `hang:<file>`                replay the first events, then hold the stream open (disconnect tests)
 *   - `truncate:<n>:<file>`        replay the first n events (0: an empty body), then end the response normally
 *   - `no-final-blank:<file>`      replay the recording without the blank line after its last event
 *   - `json-stream:<name>`         answer a streamed request with 200 application/json (a complete body)
 *   - anything else                the default recording of the path's dialect
 * Non-streamed requests get a canned JSON body of the dialect (NON_STREAM_TEXT).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Each provider package owns its recordings: `openai/…` and `openai-compatible/…` in @tokenpak/openai, `anthropic/…` in @tokenpak/anthropic. */
export function fixture(path: string): string {
  const home = path.startsWith('anthropic/') ? 'anthropic' : 'openai';
  return readFileSync(
    fileURLToPath(new URL(`../../../${home}/test/fixtures/${path}`, import.meta.url)),
    'utf8',
  );
}

export const DEFAULT_FIXTURE = {
  openai: 'openai/chat-text-include-usage.sse',
  anthropic: 'anthropic/text.sse',
} as const;

export const NON_STREAM_TEXT = 'Proxies pass the words along.';

export interface SeenRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, any>;
}

export interface FakeUpstream {
  readonly url: string;
  readonly requests: SeenRequest[];
  /** Resolves when `count` upstream sockets that were mid-response have been closed by the client side. */
  waitForClosedResponses(count: number): Promise<void>;
  readonly closedResponses: number;
  close(): Promise<void>;
}

function splitEvents(text: string): string[] {
  const parts = text.split(/(?<=\n\n|\r\n\r\n)/);
  return parts.filter((part) => part.length > 0);
}

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const requests: SeenRequest[] = [];
  let closedResponses = 0;
  let waiters: Array<{ count: number; resolve: () => void }> = [];
  const noteClosed = (): void => {
    closedResponses++;
    waiters = waiters.filter((w) => {
      if (closedResponses >= w.count) w.resolve();
      return closedResponses < w.count;
    });
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: Record<string, any> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        // leave empty
      }
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      handle(req, res, body, noteClosed);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get closedResponses() {
      return closedResponses;
    },
    waitForClosedResponses(count) {
      if (closedResponses >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function handle(
  req: IncomingMessage,
  res: ServerResponse,
  body: Record<string, any>,
  noteClosed: () => void,
): void {
  const anthropic = (req.url ?? '').includes('/messages');
  const model = String(body.model ?? '');
  const [kind, arg] = model.includes(':')
    ? [model.slice(0, model.indexOf(':')), model.slice(model.indexOf(':') + 1)]
    : ['', ''];

  if (kind === 'status') {
    const status = Number(arg);
    const errorBody = anthropic
      ? {
          type: 'error',
          error: {
            type: status === 429 ? 'rate_limit_error' : 'overloaded_error',
            message: `upstream says ${status}`,
          },
        }
      : {
          error: {
            message: `upstream says ${status}`,
            type: status === 429 ? 'rate_limit_exceeded' : 'server_error',
            code: null,
          },
        };
    res.writeHead(status, {
      'content-type': 'application/json',
      ...(status === 429 ? { 'retry-after': '7' } : {}),
    });
    res.end(JSON.stringify(errorBody));
    return;
  }

  if (body.stream !== true || kind === 'json-stream') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(anthropic ? anthropicBody(model, body) : openaiBody(model, body)));
    return;
  }

  const truncateAt = kind === 'truncate' ? Number(arg.slice(0, arg.indexOf(':'))) : undefined;
  const file =
    kind === 'fixture' || kind === 'midstream-cut' || kind === 'hang' || kind === 'no-final-blank'
      ? arg
      : kind === 'truncate'
        ? arg.slice(arg.indexOf(':') + 1)
        : anthropic
          ? DEFAULT_FIXTURE.anthropic
          : DEFAULT_FIXTURE.openai;
  const events = splitEvents(fixture(file));
  if (kind === 'no-final-blank') events.push((events.pop() as string).replace(/(\r?\n)\r?\n$/, '$1'));
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  let finished = false;
  res.on('close', () => {
    if (!finished) noteClosed();
  });
  const limit =
    kind === 'midstream-cut'
      ? Math.ceil(events.length / 2)
      : kind === 'hang'
        ? 3
        : (truncateAt ?? events.length);
  let i = 0;
  const pump = (): void => {
    if (res.destroyed) return;
    if (i >= limit) {
      if (kind === 'midstream-cut') {
        res.socket?.destroy();
        return;
      }
      if (kind === 'hang') return; // hold the line open until the client goes away
      finished = true;
      res.end();
      return;
    }
    res.write(events[i++]);
    setImmediate(pump);
  };
  pump();
}

function openaiBody(model: string, body: Record<string, any>) {
  const tools = Array.isArray(body.tools) && body.tools.length > 0;
  return {
    id: 'chatcmpl-fake1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [
      {
        index: 0,
        message: tools
          ? {
              role: 'assistant',
              content: null,
              tool_calls: [
                {
                  id: 'call_fake1',
                  type: 'function',
                  function: { name: body.tools[0].function.name, arguments: '{"city":"Paris"}' },
                },
              ],
            }
          : { role: 'assistant', content: NON_STREAM_TEXT },
        finish_reason: tools ? 'tool_calls' : 'stop',
      },
    ],
    usage: { prompt_tokens: 11, completion_tokens: 6, total_tokens: 17 },
  };
}

function anthropicBody(model: string, body: Record<string, any>) {
  const tools = Array.isArray(body.tools) && body.tools.length > 0;
  return {
    id: 'msg_fake1',
    type: 'message',
    role: 'assistant',
    model,
    content: tools
      ? [{ type: 'tool_use', id: 'toolu_fake1', name: body.tools[0].name, input: { city: 'Paris' } }]
      : [{ type: 'text', text: NON_STREAM_TEXT }],
    stop_reason: tools ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 11, output_tokens: 6 },
  };
}
