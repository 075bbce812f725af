/**
 * A fake model provider on 127.0.0.1:0 that speaks the three wire APIs TokenPak can forward to: Anthropic
 * Messages (`/v1/messages`), OpenAI Chat Completions (`/v1/chat/completions`) and OpenAI Responses
 * (`/v1/responses`), streamed (SSE) and not.
 *
 * It plays one scripted agent conversation: when a request's user text holds {@link PROMPT_MARKER} and its
 * tools include a shell tool the client really offers (Claude Code's `Bash`, Codex's `exec_command` /
 * `shell_command` / `shell`), it answers by calling that tool with {@link TOOL_COMMAND}; once the request
 * carries the tool's result (Anthropic `tool_result` block, Chat `role: tool` message, Responses
 * `function_call_output` item) it answers text: {@link FINAL_TEXT} and the tool output it saw. Every other
 * request (titles, quota checks, side calls on a small model) gets a short text. Every request is recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Put in the prompt: marks the main conversation apart from the clients' side requests. */
export const PROMPT_MARKER = 'TPE2E';
/** Run by the client's own shell tool. Prints {@link TOOL_OUTPUT}, which appears nowhere in the command. */
export const TOOL_COMMAND = 'echo tp-e2e-$((6*7))';
export const TOOL_OUTPUT = 'tp-e2e-42';
/** Starts the upstream's final answer, after the tool result came back. */
export const FINAL_TEXT = 'ROUND TRIP OK';
const SIDE_TEXT = 'ok';

export type Wire = 'anthropic' | 'chat' | 'responses';
export type Turn = 'tool-call' | 'final' | 'side';

export interface RecordedRequest {
  method: string;
  /** Path with the query string. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  wire?: Wire;
  turn?: Turn;
  /** The tool called on a `tool-call` turn. */
  tool?: string;
  /** The tool result found on a `final` turn, as JSON text. */
  toolResult?: string;
}

export interface FakeUpstream {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** The shell tools we may call, in order of preference, with the arguments each takes. */
const SHELL_TOOLS: Record<string, () => Record<string, unknown>> = {
  Bash: () => ({ command: TOOL_COMMAND, description: 'Print a greeting' }),
  exec_command: () => ({ cmd: TOOL_COMMAND }),
  shell_command: () => ({ command: TOOL_COMMAND }),
  shell: () => ({ command: ['bash', '-lc', TOOL_COMMAND] }),
};

function toolNames(wire: Wire, body: any): string[] {
  const tools: any[] = Array.isArray(body?.tools) ? body.tools : [];
  return tools
    .map((tool) => (wire === 'chat' ? tool?.function?.name : tool?.name))
    .filter((name): name is string => typeof name === 'string');
}

/** Every piece of conversation the request carries, by wire (for marker and tool-result search). */
function items(wire: Wire, body: any): any[] {
  if (wire === 'responses') {
    return typeof body?.input === 'string' ? [{ role: 'user', content: body.input }] : (body?.input ?? []);
  }
  return Array.isArray(body?.messages) ? body.messages : [];
}

function findToolResult(wire: Wire, body: any): unknown {
  for (const item of items(wire, body)) {
    if (wire === 'anthropic' && Array.isArray(item?.content)) {
      const block = item.content.find((b: any) => b?.type === 'tool_result');
      if (block) return block.content;
    }
    if (wire === 'chat' && item?.role === 'tool') return item.content;
    if (wire === 'responses' && item?.type === 'function_call_output') return item.output;
  }
  return undefined;
}

function hasMarker(wire: Wire, body: any): boolean {
  return items(wire, body).some(
    (item) => item?.role === 'user' && JSON.stringify(item).includes(PROMPT_MARKER),
  );
}

interface Plan {
  turn: Turn;
  tool?: { name: string; args: string };
  text?: string;
  toolResult?: string;
}

function plan(wire: Wire, body: any): Plan {
  if (!hasMarker(wire, body)) return { turn: 'side', text: SIDE_TEXT };
  const result = findToolResult(wire, body);
  if (result !== undefined) {
    const json = JSON.stringify(result);
    const seen = json.match(/tp-e2e-\d+/)?.[0] ?? 'nothing';
    return { turn: 'final', text: `${FINAL_TEXT}: the command printed ${seen}.`, toolResult: json };
  }
  const offered = toolNames(wire, body);
  const name = Object.keys(SHELL_TOOLS).find((candidate) => offered.includes(candidate));
  if (!name) return { turn: 'side', text: `no shell tool among: ${offered.join(', ')}` };
  return { turn: 'tool-call', tool: { name, args: JSON.stringify(SHELL_TOOLS[name]!()) } };
}

const USAGE = { input: 12, output: 7 };

// ---- Anthropic Messages -------------------------------------------------------------------------

function anthropicEvents(model: string, p: Plan): [string, unknown][] {
  const events: [string, unknown][] = [
    [
      'message_start',
      {
        type: 'message_start',
        message: {
          id: 'msg_fake_1',
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: USAGE.input, output_tokens: 1 },
        },
      },
    ],
  ];
  if (p.tool) {
    events.push(
      [
        'content_block_start',
        {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'tool_use', id: 'toolu_fake_1', name: p.tool.name, input: {} },
        },
      ],
      ...halves(p.tool.args).map((part): [string, unknown] => [
        'content_block_delta',
        { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: part } },
      ]),
    );
  } else {
    events.push(
      [
        'content_block_start',
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      ],
      ...words(p.text!).map((part): [string, unknown] => [
        'content_block_delta',
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: part } },
      ]),
    );
  }
  events.push(
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    [
      'message_delta',
      {
        type: 'message_delta',
        delta: { stop_reason: p.tool ? 'tool_use' : 'end_turn', stop_sequence: null },
        usage: { output_tokens: USAGE.output },
      },
    ],
    ['message_stop', { type: 'message_stop' }],
  );
  return events;
}

function anthropicBody(model: string, p: Plan): unknown {
  return {
    id: 'msg_fake_1',
    type: 'message',
    role: 'assistant',
    model,
    content: p.tool
      ? [{ type: 'tool_use', id: 'toolu_fake_1', name: p.tool.name, input: JSON.parse(p.tool.args) }]
      : [{ type: 'text', text: p.text }],
    stop_reason: p.tool ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: USAGE.input, output_tokens: USAGE.output },
  };
}

// ---- OpenAI Chat Completions --------------------------------------------------------------------

function chatChunks(model: string, p: Plan): unknown[] {
  const chunk = (delta: unknown, finish: string | null = null) => ({
    id: 'chatcmpl-fake-1',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const chunks: unknown[] = [];
  if (p.tool) {
    const [first, second] = halves(p.tool.args);
    chunks.push(
      chunk({
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            index: 0,
            id: 'call_fake_1',
            type: 'function',
            function: { name: p.tool.name, arguments: first },
          },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: second } }] }),
      chunk({}, 'tool_calls'),
    );
  } else {
    chunks.push(chunk({ role: 'assistant', content: '' }));
    for (const part of words(p.text!)) chunks.push(chunk({ content: part }));
    chunks.push(chunk({}, 'stop'));
  }
  chunks.push({
    id: 'chatcmpl-fake-1',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model,
    choices: [],
    usage: {
      prompt_tokens: USAGE.input,
      completion_tokens: USAGE.output,
      total_tokens: USAGE.input + USAGE.output,
    },
  });
  return chunks;
}

function chatBody(model: string, p: Plan): unknown {
  return {
    id: 'chatcmpl-fake-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [
      {
        index: 0,
        message: p.tool
          ? {
              role: 'assistant',
              content: null,
              tool_calls: [
                {
                  id: 'call_fake_1',
                  type: 'function',
                  function: { name: p.tool.name, arguments: p.tool.args },
                },
              ],
            }
          : { role: 'assistant', content: p.text },
        finish_reason: p.tool ? 'tool_calls' : 'stop',
      },
    ],
    usage: {
      prompt_tokens: USAGE.input,
      completion_tokens: USAGE.output,
      total_tokens: USAGE.input + USAGE.output,
    },
  };
}

// ---- OpenAI Responses ---------------------------------------------------------------------------

function responsesOutputItem(p: Plan): any {
  return p.tool
    ? {
        type: 'function_call',
        id: 'fc_fake_1',
        call_id: 'call_fake_1',
        name: p.tool.name,
        arguments: p.tool.args,
        status: 'completed',
      }
    : {
        type: 'message',
        id: 'msg_fake_1',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: p.text, annotations: [] }],
      };
}

function responseObject(model: string, status: string, output: unknown[]): unknown {
  return {
    id: 'resp_fake_1',
    object: 'response',
    created_at: 1_700_000_000,
    status,
    model,
    output,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage:
      status === 'completed'
        ? {
            input_tokens: USAGE.input,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: USAGE.output,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: USAGE.input + USAGE.output,
          }
        : null,
  };
}

function responsesEvents(model: string, p: Plan): unknown[] {
  const item = responsesOutputItem(p);
  const events: any[] = [
    { type: 'response.created', response: responseObject(model, 'in_progress', []) },
    { type: 'response.in_progress', response: responseObject(model, 'in_progress', []) },
  ];
  if (p.tool) {
    events.push({
      type: 'response.output_item.added',
      output_index: 0,
      item: { ...item, arguments: '', status: 'in_progress' },
    });
    for (const part of halves(p.tool.args)) {
      events.push({
        type: 'response.function_call_arguments.delta',
        item_id: item.id,
        output_index: 0,
        delta: part,
      });
    }
    events.push({
      type: 'response.function_call_arguments.done',
      item_id: item.id,
      output_index: 0,
      arguments: p.tool.args,
    });
  } else {
    const at = { item_id: item.id, output_index: 0, content_index: 0 };
    events.push(
      {
        type: 'response.output_item.added',
        output_index: 0,
        item: { ...item, status: 'in_progress', content: [] },
      },
      {
        type: 'response.content_part.added',
        ...at,
        part: { type: 'output_text', text: '', annotations: [] },
      },
      ...words(p.text!).map((delta) => ({ type: 'response.output_text.delta', ...at, delta })),
      { type: 'response.output_text.done', ...at, text: p.text },
      {
        type: 'response.content_part.done',
        ...at,
        part: { type: 'output_text', text: p.text, annotations: [] },
      },
    );
  }
  events.push(
    { type: 'response.output_item.done', output_index: 0, item },
    { type: 'response.completed', response: responseObject(model, 'completed', [item]) },
  );
  return events.map((event, i) => ({ ...event, sequence_number: i }));
}

// ---- plumbing -----------------------------------------------------------------------------------

function halves(text: string): [string, string] {
  const middle = Math.floor(text.length / 2);
  return [text.slice(0, middle), text.slice(middle)];
}

function words(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [text];
}

function sse(res: ServerResponse, frames: string[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const frame of frames) res.write(frame);
  res.end();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const MODELS = ['claude-agent', 'gpt-agent', 'resp-agent'].map((id) => ({
  id,
  object: 'model',
  type: 'model',
  created: 1_700_000_000,
  created_at: '2024-01-01T00:00:00Z',
  display_name: id,
  owned_by: 'fake',
}));

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const text = await readBody(req);
    let body: any;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const record: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body,
    };
    requests.push(record);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const model = typeof body?.model === 'string' ? body.model : 'fake-model';

    if (req.method === 'GET' && /\/models$/.test(path)) {
      return json(res, 200, { object: 'list', data: MODELS, has_more: false });
    }
    if (req.method !== 'POST') return json(res, 404, { error: { message: `no ${req.method} ${path}` } });
    if (path.endsWith('/messages/count_tokens')) return json(res, 200, { input_tokens: USAGE.input });

    const wire: Wire | undefined = path.endsWith('/messages')
      ? 'anthropic'
      : path.endsWith('/chat/completions')
        ? 'chat'
        : path.endsWith('/responses')
          ? 'responses'
          : undefined;
    if (!wire) return json(res, 404, { error: { message: `no route for POST ${path}` } });

    const p = plan(wire, body);
    Object.assign(record, { wire, turn: p.turn, tool: p.tool?.name, toolResult: p.toolResult });
    const stream = body?.stream === true;
    if (wire === 'anthropic') {
      if (!stream) return json(res, 200, anthropicBody(model, p));
      return sse(
        res,
        anthropicEvents(model, p).map(
          ([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
        ),
      );
    }
    if (wire === 'chat') {
      if (!stream) return json(res, 200, chatBody(model, p));
      return sse(res, [
        ...chatChunks(model, p).map((c) => `data: ${JSON.stringify(c)}\n\n`),
        'data: [DONE]\n\n',
      ]);
    }
    if (!stream) return json(res, 200, responseObject(model, 'completed', [responsesOutputItem(p)]));
    return sse(
      res,
      responsesEvents(model, p).map((e: any) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
