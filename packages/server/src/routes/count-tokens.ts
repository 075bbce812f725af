/**
 * POST /v1/messages/count_tokens: Anthropic's token count (`messages.countTokens()`), for every alias.
 *
 * - An alias whose provider counts tokens itself (`Provider.countTokens`: the `anthropic` provider) gets the
 *   upstream's exact figure: the body as sent, with the upstream model id.
 * - Any other alias gets an estimate, marked with `x-tokenpak-estimate: true`: the texts of the Anthropic
 *   request (system, messages and their text / tool_use / tool_result blocks, tool definitions) counted with
 *   OpenAI's `o200k_base` encoding (gpt-tokenizer, loaded on the first estimate), plus the framing OpenAI's
 *   chat format adds per message and per tool. The decision and its measured accuracy are in the README.
 *
 * Every answer, errors included, is in Anthropic's shape.
 */
import { ProviderError, toProviderError } from '@tokenpak/providers';
import type { AppContext } from '../app-context.ts';
import { dialectErrorResponse } from '../http/error-response.ts';
import { requestIdFor } from '../http/request-id.ts';
import { readClientBody } from '../pipeline/read-client-body.ts';
import { resolveRoute } from '../pipeline/resolve-route.ts';

/** The response header that says the count is TokenPak's estimate, not the upstream's figure. */
export const ESTIMATE_HEADER = 'x-tokenpak-estimate';

export function countTokensRoute(ctx: AppContext): (request: Request) => Promise<Response> {
  const dialect = ctx.dialects['anthropic-messages'];
  return async (request) => {
    const headers: Record<string, string> = { 'x-request-id': requestIdFor(request.headers) };
    const reject = (error: unknown) =>
      dialectErrorResponse(dialect, toProviderError(error), ctx.redact, headers);
    const read = await readClientBody(ctx, request);
    if (!read.ok) {
      if (read.closeConnection) headers.connection = 'close';
      return reject(read.error);
    }
    const body = (read.body ?? {}) as Record<string, unknown>;
    if (typeof body.model !== 'string' || body.model === '') {
      return reject(
        new ProviderError({
          type: 'invalid_request',
          param: 'model',
          message: 'model: a model alias is required.',
        }),
      );
    }
    try {
      const route = resolveRoute(ctx, body.model);
      const { provider } = route;
      if (typeof provider.countTokens === 'function') {
        const count = await provider.countTokens(body, {
          model: route.upstreamModel,
          signal: request.signal,
          defaultMaxTokens: route.defaultMaxTokens,
        });
        return new Response(JSON.stringify(count), {
          headers: { ...headers, 'content-type': 'application/json' },
        });
      }
      if (!Array.isArray(body.messages)) {
        throw new ProviderError({
          type: 'invalid_request',
          param: 'messages',
          message: 'messages: Field required (an array of messages).',
        });
      }
      const inputTokens = await estimateInputTokens(body, request.signal);
      return new Response(JSON.stringify({ input_tokens: inputTokens }), {
        headers: { ...headers, 'content-type': 'application/json', [ESTIMATE_HEADER]: 'true' },
      });
    } catch (error) {
      return reject(error);
    }
  };
}

// ---------------------------------------------------------------------------------------------------------
// The estimate

/**
 * Tokens OpenAI's chat format adds around each message (`<|start|>role<|message|>…<|end|>`), once for the
 * reply's priming, and around each tool call. Calibrated on recorded requests whose usage the upstream
 * reported (README, "count_tokens").
 */
const PER_MESSAGE = 4;
const REPLY_PRIMING = 3;
const PER_TOOL_CALL = 6;
/** A picture, whatever its size: OpenAI's figure for a 1024×1024 image at high detail. */
const PER_IMAGE = 765;

/**
 * The longest slice counted in one call. BPE is quadratic in the length of a word, and a text without
 * spaces (CJK, base64, minified code) is one long word: slices cut at whitespace when there is some, and
 * hard at this length otherwise, keep every call under a few milliseconds (a 16 KiB CJK run in one call
 * takes seconds). Cutting changes the count by well under 0.1%.
 */
const SLICE_CHARS = 512;
/** Characters counted between two yields to the event loop, so that a large body never stalls streams. */
const CHARS_PER_TURN = 32_768;

type CountTokens = (text: string) => number;
let tokenizer: Promise<CountTokens> | undefined;

/** gpt-tokenizer's o200k_base tables take ~0.5 s and ~40 MB of heap to load: only on the first estimate. */
function loadTokenizer(): Promise<CountTokens> {
  tokenizer ??= import('gpt-tokenizer/encoding/o200k_base').then(
    (module) => module.countTokens as CountTokens,
    (error: unknown) => {
      tokenizer = undefined;
      throw error;
    },
  );
  return tokenizer;
}

/** The input tokens of an Anthropic Messages request (`system`, `messages`, `tools`), estimated. */
export async function estimateInputTokens(
  body: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<number> {
  const texts: string[] = [];
  let fixed = REPLY_PRIMING;
  const system = body.system;
  if (system !== undefined && system !== null && system !== '') {
    fixed += PER_MESSAGE + collectContent(system, texts);
  }
  for (const message of body.messages as unknown[]) {
    fixed += PER_MESSAGE;
    if (isObject(message)) fixed += collectContent(message.content, texts);
  }
  if (Array.isArray(body.tools) && body.tools.length > 0) {
    fixed += PER_MESSAGE;
    texts.push(renderTools(body.tools));
  }
  const count = await loadTokenizer();
  let tokens = fixed;
  let sinceYield = 0;
  for (const text of texts) {
    for (let start = 0; start < text.length; ) {
      const end = sliceEnd(text, start);
      tokens += count(text.slice(start, end));
      sinceYield += end - start;
      start = end;
      if (sinceYield >= CHARS_PER_TURN) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
        signal?.throwIfAborted();
      }
    }
  }
  return tokens;
}

/**
 * Pushes the texts of a `content` (a string, or an array of blocks) onto `texts`; returns the tokens counted
 * without text (images, framing of tool calls and results).
 */
function collectContent(content: unknown, texts: string[]): number {
  if (typeof content === 'string') {
    texts.push(content);
    return 0;
  }
  if (!Array.isArray(content)) return 0;
  let fixed = 0;
  for (const block of content) {
    if (typeof block === 'string') {
      texts.push(block);
      continue;
    }
    if (!isObject(block)) continue;
    switch (block.type) {
      case 'text':
        pushString(texts, block.text);
        break;
      case 'thinking':
        pushString(texts, block.thinking);
        break;
      case 'redacted_thinking':
        break;
      case 'tool_use':
      case 'server_tool_use':
        fixed += PER_TOOL_CALL;
        pushString(texts, block.name);
        texts.push(JSON.stringify(block.input ?? {}));
        break;
      case 'tool_result':
        // A tool result is a message of its own in OpenAI's format.
        fixed += PER_MESSAGE + collectContent(block.content, texts);
        break;
      case 'image':
        fixed += PER_IMAGE;
        break;
      case 'document':
        fixed += collectDocument(block, texts);
        break;
      default: {
        // A block type this estimate does not know: its JSON, without any base64 payload, is the best guess.
        const { source: _source, data: _data, cache_control: _cache, ...rest } = block;
        texts.push(JSON.stringify(rest));
      }
    }
  }
  return fixed;
}

function collectDocument(block: Record<string, unknown>, texts: string[]): number {
  pushString(texts, block.title);
  pushString(texts, block.context);
  const source = isObject(block.source) ? block.source : undefined;
  if (!source) return 0;
  if (source.type === 'text') {
    pushString(texts, source.data);
    return 0;
  }
  if (source.type === 'content') return collectContent(source.content, texts);
  if (source.type === 'base64' && typeof source.data === 'string') {
    // A PDF: one token per 4 bytes of file, which errs on the high side for text PDFs.
    return Math.ceil((source.data.length * 3) / 4 / 4);
  }
  return PER_IMAGE;
}

/**
 * Tool definitions as OpenAI shows them to its models: a TypeScript namespace in a system message
 * (`// description` / `type name = (_: { city: string, }) => any;`), far terser than the JSON Schema.
 * Server tools (`web_search_20250305`, …) have no schema: their definition's JSON is counted instead.
 */
function renderTools(tools: unknown[]): string {
  const lines = ['# Tools', '', '## functions', '', 'namespace functions {', ''];
  for (const tool of tools) {
    if (!isObject(tool)) continue;
    if (!isObject(tool.input_schema)) {
      lines.push(JSON.stringify(tool), '');
      continue;
    }
    if (typeof tool.description === 'string' && tool.description !== '') {
      lines.push(...tool.description.split('\n').map((line) => `// ${line}`));
    }
    const name = typeof tool.name === 'string' ? tool.name : 'tool';
    const properties = renderProperties(tool.input_schema, 0);
    lines.push(
      properties === '' ? `type ${name} = () => any;` : `type ${name} = (_: {\n${properties}\n}) => any;`,
      '',
    );
  }
  lines.push('} // namespace functions');
  return lines.join('\n');
}

function renderProperties(schema: Record<string, unknown>, depth: number): string {
  if (!isObject(schema.properties)) return '';
  const required = Array.isArray(schema.required) ? schema.required : [];
  const lines: string[] = [];
  for (const [key, value] of Object.entries(schema.properties)) {
    const property = isObject(value) ? value : {};
    if (typeof property.description === 'string' && property.description !== '') {
      lines.push(`// ${property.description}`);
    }
    if (property.default !== undefined) lines.push(`// default: ${JSON.stringify(property.default)}`);
    const optional = required.includes(key) ? '' : '?';
    lines.push(`${key}${optional}: ${renderType(property, depth)},`);
  }
  return lines.join('\n');
}

function renderType(schema: Record<string, unknown>, depth: number): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      return options.map((option) => (isObject(option) ? renderType(option, depth) : 'any')).join(' | ');
    }
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return isObject(schema.items) ? `${renderType(schema.items, depth)}[]` : 'any[]';
    case 'object': {
      // Deep schemas are rendered in full by OpenAI too; the depth bound only guards against cycles.
      if (depth > 16) return 'object';
      const inner = renderProperties(schema, depth + 1);
      return inner === '' ? 'object' : `{\n${inner}\n}`;
    }
    default:
      return 'any';
  }
}

function sliceEnd(text: string, start: number): number {
  const hard = start + SLICE_CHARS;
  if (hard >= text.length) return text.length;
  // Cut before a whitespace character in the second half of the slice: o200k words carry their leading
  // space, so the cut falls between two words and the count stays exact.
  for (let i = hard; i > start + SLICE_CHARS / 2; i--) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13) return i;
  }
  return hard;
}

function pushString(texts: string[], value: unknown): void {
  if (typeof value === 'string' && value !== '') texts.push(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
