/**
 * One fake upstream on loopback for every provider wire TokenPak speaks, for the client × provider matrix:
 * the path says which wire (Chat Completions, Responses, Messages, Gemini, Ollama), and the body says which
 * turn: a body holding `TOOL_RESULT_MARKER` is the turn after a tool call (answered with text), a body
 * offering tools is the first turn (answered with a tool call), anything else is answered with text.
 * The answers are the providers' own recordings (each package's test/fixtures), but for Ollama's tool call,
 * which has none: it is written here in the documented format, and Bedrock's, whose documented-format
 * fixtures are encoded into AWS event-stream frames by AWS's own codec.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeFrames, streamFixture } from '../../../bedrock/test/helpers/fixtures.ts';

export const TOOL_RESULT_MARKER = 'tool-result-7f3a';

const recording = (pkg: string, path: string): string =>
  readFileSync(new URL(`../../../${pkg}/test/fixtures/${path}`, import.meta.url), 'utf8');

/** What a client must see: the text of the text answer, the name and arguments of the tool call. */
export interface WireExpectation {
  text: string;
  tool: { name: string; args: unknown };
}

export interface Wire {
  contentType: string;
  text: string | Uint8Array;
  tools: string | Uint8Array;
  /** The non-streamed answer (JSON), holding the same text as `text`. */
  complete: string;
  expect: WireExpectation;
}

function sseData(wire: string): any[] {
  return wire
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim())
    .filter((data) => data !== '[DONE]')
    .map((data) => JSON.parse(data));
}

function chatWire(): Wire {
  const text = recording('openai', 'openai/chat-text-include-usage.sse');
  const tools = recording('openai', 'openai/chat-tool-call.sse');
  const calls = sseData(tools).flatMap((chunk) => chunk.choices?.[0]?.delta?.tool_calls ?? []);
  const chunks = sseData(text);
  const said = chunks.map((chunk) => chunk.choices?.[0]?.delta?.content ?? '').join('');
  const { id, created, model, usage } = { ...chunks[0], ...chunks.findLast((chunk) => chunk.usage) };
  return {
    contentType: 'text/event-stream; charset=utf-8',
    text,
    tools,
    complete: JSON.stringify({
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: said }, finish_reason: 'stop' }],
      usage,
    }),
    expect: {
      text: said,
      tool: {
        name: calls[0].function.name,
        args: JSON.parse(calls.map((call: any) => call.function?.arguments ?? '').join('')),
      },
    },
  };
}

function responsesWire(): Wire {
  const text = recording('openai', 'openai/responses-text.sse');
  const tools = recording('openai', 'openai/responses-function-call.sse');
  const done = sseData(tools).find(
    (event) => event.type === 'response.output_item.done' && event.item?.type === 'function_call',
  );
  const completed = sseData(text).find((event) => event.type === 'response.completed');
  return {
    contentType: 'text/event-stream; charset=utf-8',
    text,
    tools,
    complete: JSON.stringify(completed.response),
    expect: {
      text: sseData(text)
        .filter((event) => event.type === 'response.output_text.delta')
        .map((event) => event.delta)
        .join(''),
      tool: { name: done.item.name, args: JSON.parse(done.item.arguments) },
    },
  };
}

function messagesWire(): Wire {
  const text = recording('anthropic', 'anthropic/text.sse');
  const tools = recording('anthropic', 'anthropic/tool-use.sse');
  const events = sseData(tools);
  const start = events.find(
    (event) => event.type === 'content_block_start' && event.content_block?.type === 'tool_use',
  );
  const json = events
    .filter((event) => event.type === 'content_block_delta' && event.index === start.index)
    .map((event) => event.delta.partial_json ?? '')
    .join('');
  const said = sseData(text)
    .filter((event) => event.type === 'content_block_delta' && event.delta?.type === 'text_delta')
    .map((event) => event.delta.text)
    .join('');
  const { message } = sseData(text).find((event) => event.type === 'message_start');
  return {
    contentType: 'text/event-stream; charset=utf-8',
    text,
    tools,
    complete: JSON.stringify({
      ...message,
      content: [{ type: 'text', text: said }],
      stop_reason: 'end_turn',
      stop_sequence: null,
    }),
    expect: {
      text: said,
      tool: { name: start.content_block.name, args: JSON.parse(json) },
    },
  };
}

function geminiWire(): Wire {
  const text = recording('gemini', 'gemini/text.sse');
  const tools = recording('gemini', 'gemini/function-call-thought-signature.sse');
  const parts = (wire: string) =>
    sseData(wire).flatMap((chunk) => chunk.candidates?.[0]?.content?.parts ?? []);
  const call = parts(tools).find((part) => part.functionCall).functionCall;
  const said = parts(text)
    .filter((part) => typeof part.text === 'string' && !part.thought)
    .map((part) => part.text)
    .join('');
  const last = sseData(text).at(-1);
  return {
    contentType: 'text/event-stream',
    text,
    tools,
    complete: JSON.stringify({
      ...last,
      candidates: [{ content: { role: 'model', parts: [{ text: said }] }, finishReason: 'STOP', index: 0 }],
    }),
    expect: {
      text: said,
      tool: { name: call.name, args: call.args },
    },
  };
}

function ollamaWire(): Wire {
  const text = recording('ollama', 'ollama/chat-text-tail.ndjson');
  const at = '2024-07-02T11:45:16.216898458Z';
  const tools = [
    {
      model: 'llama3.2',
      created_at: at,
      message: {
        role: 'assistant',
        content: '',
        tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } } }],
      },
      done: false,
    },
    {
      model: 'llama3.2',
      created_at: at,
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'stop',
      prompt_eval_count: 21,
      eval_count: 9,
    },
  ]
    .map((line) => `${JSON.stringify(line)}\n`)
    .join('');
  const lines = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
  const said = lines.map((line) => line.message?.content ?? '').join('');
  return {
    contentType: 'application/x-ndjson',
    text,
    tools,
    complete: JSON.stringify({ ...lines.at(-1), message: { role: 'assistant', content: said } }),
    expect: {
      text: said,
      tool: { name: 'get_weather', args: { city: 'Paris', unit: 'celsius' } },
    },
  };
}

function bedrockWire(): Wire {
  const text = streamFixture('text');
  const tools = streamFixture('tool-use-parallel');
  const payloads = (frames: typeof text.frames) => frames.map((frame) => frame.payload as any);
  const first = payloads(tools.frames).find((p) => p.start?.toolUse);
  const input = payloads(tools.frames)
    .filter((p) => p.contentBlockIndex === first.contentBlockIndex && p.delta?.toolUse)
    .map((p) => p.delta.toolUse.input)
    .join('');
  const said = payloads(text.frames)
    .map((p) => p.delta?.text ?? '')
    .join('');
  const metadata = payloads(text.frames).find((p) => p.usage);
  return {
    contentType: 'application/vnd.amazon.eventstream',
    text: encodeFrames(text.frames),
    tools: encodeFrames(tools.frames),
    complete: JSON.stringify({
      output: { message: { role: 'assistant', content: [{ text: said }] } },
      stopReason: 'end_turn',
      usage: metadata.usage,
      metrics: metadata.metrics ?? { latencyMs: 1 },
    }),
    expect: {
      text: said,
      tool: { name: first.start.toolUse.name, args: JSON.parse(input) },
    },
  };
}

export const WIRES = {
  chat: chatWire(),
  responses: responsesWire(),
  messages: messagesWire(),
  gemini: geminiWire(),
  ollama: ollamaWire(),
  bedrock: bedrockWire(),
} as const;

export type WireName = keyof typeof WIRES;

function wireOf(path: string): WireName | undefined {
  if (path.includes('/chat/completions')) return 'chat';
  if (/\/responses(\?|$)/.test(path)) return 'responses';
  if (/\/messages(\?|$)/.test(path)) return 'messages';
  if (path.includes(':streamGenerateContent') || path.includes(':generateContent')) return 'gemini';
  if (path.startsWith('/api/chat')) return 'ollama';
  if (/^\/model\/[^/]+\/converse(-stream)?(\?|$)/.test(path)) return 'bedrock';
  return undefined;
}

/** Whether a request asks for a stream, as its wire says it: by path for Gemini and Bedrock, by body else. */
function streams(wire: WireName, path: string, body: string): boolean {
  if (wire === 'gemini') return path.includes(':streamGenerateContent');
  if (wire === 'bedrock') return /\/converse-stream/.test(path);
  const asked = (JSON.parse(body) as { stream?: boolean }).stream;
  return wire === 'ollama' ? asked !== false : asked === true;
}

export interface MatrixUpstream {
  readonly url: string;
  /** Every request, in order: the wire it was read as, whether it asked for a stream, and its raw body. */
  readonly requests: Array<{ wire: WireName; path: string; stream: boolean; body: string }>;
  close(): Promise<void>;
}

export async function startMatrixUpstream(): Promise<MatrixUpstream> {
  const requests: MatrixUpstream['requests'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const path = req.url ?? '';
      const wire = wireOf(path);
      if (!wire) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no wire for ${path}` } }));
        return;
      }
      const stream = streams(wire, path, body);
      requests.push({ wire, path, stream, body });
      const spec = WIRES[wire];
      if (!stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(spec.complete);
        return;
      }
      const answer = body.includes(TOOL_RESULT_MARKER)
        ? spec.text
        : /"tools"\s*:/.test(body)
          ? spec.tools
          : spec.text;
      res.writeHead(200, { 'content-type': spec.contentType });
      res.end(answer);
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
