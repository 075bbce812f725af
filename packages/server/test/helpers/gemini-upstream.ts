/**
 * A fake Gemini API on 127.0.0.1:0 that replays @tokenpak/gemini's recordings. The model in the URL picks
 * the recording (`models/<recording>:streamGenerateContent?alt=sse`); a request whose last content answers
 * function calls gets the `text` recording instead (the answer after the tools), and `status-<code>` answers
 * with that status and Gemini's error body. `:generateContent` gets the recording folded into one body.
 * Every request is recorded with its URL, headers and body, as received.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export function geminiRecording(name: string): string {
  return readFileSync(new URL(`../../../gemini/test/fixtures/gemini/${name}.sse`, import.meta.url), 'utf8');
}

export interface GeminiFrame {
  candidates?: Array<{
    content?: { parts?: Array<Record<string, any>>; role?: string };
    finishReason?: string;
  }>;
  usageMetadata?: Record<string, number>;
  modelVersion?: string;
  responseId?: string;
}

export function framesOf(wire: string): GeminiFrame[] {
  return wire
    .split(/\r?\n\r?\n/)
    .filter((block) => block.startsWith('data:'))
    .map((block) => JSON.parse(block.slice('data:'.length)));
}

/** The answer text of frames (their non-thought text parts). */
export function geminiText(frames: GeminiFrame[]): string {
  return frames
    .flatMap((frame) => frame.candidates?.[0]?.content?.parts ?? [])
    .filter((part) => typeof part.text === 'string' && !part.thought)
    .map((part) => part.text)
    .join('');
}

/** A recording as the one body `:generateContent` would answer. */
function wholeBody(frames: GeminiFrame[]): GeminiFrame {
  const last = frames.at(-1) as GeminiFrame;
  return {
    ...last,
    candidates: [
      {
        ...last.candidates?.[0],
        content: {
          role: 'model',
          parts: frames.flatMap((frame) => frame.candidates?.[0]?.content?.parts ?? []),
        },
      },
    ],
  };
}

export interface GeminiRequest {
  url: string;
  headers: IncomingHttpHeaders;
  /** The body as received, byte for byte. */
  text: string;
  body: Record<string, any>;
}

export interface GeminiUpstream {
  readonly url: string;
  readonly requests: GeminiRequest[];
  close(): Promise<void>;
}

export async function startGeminiUpstream(): Promise<GeminiUpstream> {
  const requests: GeminiRequest[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => {
      const body = JSON.parse(text || '{}');
      requests.push({ url: req.url ?? '', headers: req.headers, text, body });
      const [, model = '', method = ''] = /models\/([^:]+):([A-Za-z]+)/.exec(req.url ?? '') ?? [];
      const status = /^status-(\d+)$/.exec(model);
      if (status) {
        const code = Number(status[1]);
        const rpc = code === 429 ? 'RESOURCE_EXHAUSTED' : code === 400 ? 'INVALID_ARGUMENT' : 'UNAVAILABLE';
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code, message: `upstream says ${code}`, status: rpc } }));
        return;
      }
      const lastParts: Array<Record<string, unknown>> = body.contents?.at(-1)?.parts ?? [];
      const answered = lastParts.some((part) => part.functionResponse);
      const wire = geminiRecording(answered ? 'text' : model);
      if (method === 'generateContent') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(wholeBody(framesOf(wire))));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(wire);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
