/**
 * A scripted OpenAI Chat Completions upstream on 127.0.0.1:0 (node:http) for timing-shaped cases the
 * recordings cannot give: tokens at a set pace, a stream that stalls, a response that never starts.
 * The upstream model id in the request body picks the script:
 *   - `paced:<count>:<gapMs>`  role chunk, then `w1`, ` w2`, ... one chunk each `gapMs` apart, then
 *                              finish_reason, the usage chunk and `[DONE]`; the response ends right after
 *   - `stall:<count>`          role chunk and `count` tokens, then silence with the response left open
 *   - `silent`                 reads the request and never answers (no status line, no headers)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PacedUpstream {
  readonly url: string;
  readonly requests: Array<{ headers: IncomingMessage['headers']; body: Record<string, any> }>;
  /** How many responses (or unanswered requests) the proxy closed before they ended. */
  readonly abandoned: number;
  /** Resolves once `count` responses (or unanswered requests) were closed by the proxy before they ended. */
  waitForAbandoned(count: number): Promise<void>;
  close(): Promise<void>;
}

/** The text `count` paced tokens add up to: `w1 w2 ... wN`. */
export function pacedText(count: number): string {
  return Array.from({ length: count }, (_, i) => `w${i + 1}`).join(' ');
}

function chunk(delta: Record<string, unknown>, finish: string | null = null): string {
  const body = {
    id: 'chatcmpl-paced',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'paced-model',
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

export async function startPacedUpstream(): Promise<PacedUpstream> {
  const requests: PacedUpstream['requests'] = [];
  const timers = new Set<NodeJS.Timeout>();
  let abandoned = 0;
  let waiters: Array<{ count: number; resolve: () => void }> = [];
  const noteAbandoned = (): void => {
    abandoned++;
    waiters = waiters.filter((w) => {
      if (abandoned >= w.count) w.resolve();
      return abandoned < w.count;
    });
  };

  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(parts).toString('utf8') || '{}');
      requests.push({ headers: req.headers, body });
      let finished = false;
      res.on('close', () => {
        if (!finished) noteAbandoned();
      });
      play(String(body.model ?? ''), res, timers, () => {
        finished = true;
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get abandoned() {
      return abandoned;
    },
    waitForAbandoned(count) {
      if (abandoned >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function play(model: string, res: ServerResponse, timers: Set<NodeJS.Timeout>, onFinish: () => void): void {
  const [script, countText, gapText] = model.split(':');
  if (script === 'silent') return;
  const count = Number(countText);
  const gap = Number(gapText ?? 0);
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  res.write(chunk({ role: 'assistant', content: '' }));
  let sent = 0;
  const next = (): void => {
    if (res.destroyed) return;
    if (sent < count) {
      sent++;
      res.write(chunk({ content: sent === 1 ? 'w1' : ` w${sent}` }));
      if (gap > 0) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          next();
        }, gap);
        timers.add(timer);
      } else setImmediate(next);
      return;
    }
    if (script === 'stall') return; // keep the response open and say nothing more
    res.write(chunk({}, 'stop'));
    const usage = { prompt_tokens: 4, completion_tokens: count, total_tokens: 4 + count };
    res.write(
      `data: ${JSON.stringify({ id: 'chatcmpl-paced', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'paced-model', choices: [], usage })}\n\n`,
    );
    res.write('data: [DONE]\n\n');
    onFinish();
    res.end();
  };
  next();
}
