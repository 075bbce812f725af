/**
 * Client body (`POST /v1/messages`) → canonical request.
 *
 * Decisions for what the canonical request cannot carry (see the package README):
 * - `max_tokens` is optional here (Anthropic requires it; the upstream builder fills a default).
 * - `document` blocks (base64 PDF, plain text, URL sources) → document parts; a `file` source (Files API) only
 *   Anthropic can read: `untranslatable` (400 naming the block elsewhere); a `content` source, `citations` and
 *   `cache_control` are kept in `native` (the latter two without a warning).
 * - Blocks canonical has no part for (search_result, server-tool blocks, file images...) and
 *   server tools (`tools[].type` such as web_search) are kept verbatim in `request.native` for an Anthropic
 *   upstream and dropped for others, each named in `warnings`. `cache_control` and `citations` are kept
 *   the same way, without a warning (other upstreams need no cache hints).
 * - A `tool_choice` that forces a server tool (by name, or `any` when only server tools are given) makes the
 *   request `untranslatable`: it depends on a tool only Anthropic runs (400 naming `tool_choice` elsewhere).
 * - `thinking` enabled → `reasoning.budgetTokens`, adaptive → `reasoning.mode`, disabled → nothing;
 *   `output_config.effort` → `reasoning.effort` (with `effortParam`). Other thinking types, unknown efforts
 *   and the rest of `output_config` go to `passthrough`.
 * - `output_config.format` (and the deprecated top-level `output_format`) with a JSON schema → canonical
 *   `responseFormat` (output-format.ts).
 * - Body fields with no canonical meaning (container, mcp_servers, service_tier, context_management...) go
 *   to `passthrough`.
 */
import type {
  AssistantContentPart,
  CanonicalMessage,
  CanonicalReasoning,
  CanonicalRequest,
  CanonicalTool,
  DocumentPart,
  ImagePart,
  NativeFields,
  ParsedRequest,
  TextPart,
  ToolChoice,
  UserContentPart,
} from '@tokenpak/provider';
import { takeOutputFormat } from './output-format.ts';
import {
  expectObject,
  expectString,
  hasExtraKeys,
  invalid,
  isObject,
  type Json,
  optionalBoolean,
  optionalInteger,
  optionalNumber,
  optionalString,
} from './request-checks.ts';

const KNOWN_FIELDS = new Set([
  'model',
  'messages',
  'system',
  'tools',
  'tool_choice',
  'max_tokens',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'stream',
  'metadata',
  'thinking',
  'output_config',
]);

/** `output_config.effort` values Anthropic documents; others are sent only to an Anthropic upstream. */
const EFFORTS = new Set(['low', 'medium', 'high', 'xhigh', 'max']);
const THINKING_CONFIG_KEYS = new Set(['type', 'budget_tokens']);

const TEXT_KEYS = new Set(['type', 'text']);
const IMAGE_KEYS = new Set(['type', 'source']);
const DOCUMENT_KEYS = new Set(['type', 'source', 'title', 'context']);
const TOOL_USE_KEYS = new Set(['type', 'id', 'name', 'input']);
const TOOL_RESULT_KEYS = new Set(['type', 'tool_use_id', 'content', 'is_error']);
const THINKING_KEYS = new Set(['type', 'thinking', 'signature']);
const REDACTED_KEYS = new Set(['type', 'data']);
const TOOL_KEYS = new Set(['type', 'name', 'description', 'input_schema']);
const SYSTEM_KEYS = TEXT_KEYS;

/** Per-parse state: warnings, and whether a field lost something (then it is kept verbatim in `native`). */
interface Context {
  warnings: string[];
  lossy: boolean;
  /** The first thing another dialect could not be given without changing the request's meaning. */
  untranslatable?: string;
}

function blockType(value: unknown, path: string): { block: Json; type: string } {
  if (!isObject(value) || typeof value.type !== 'string') {
    throw invalid(path, 'expected a content block (an object with a string `type`)');
  }
  return { block: value, type: value.type };
}

/** A block with no canonical part: kept for an Anthropic upstream, dropped for others. */
function keepNativeOnly(ctx: Context, path: string, what: string): void {
  ctx.lossy = true;
  ctx.warnings.push(`${path}: ${what} is sent only to Anthropic upstreams (dropped for others)`);
}

function parseText(block: Json, path: string, ctx: Context): TextPart {
  if (hasExtraKeys(block, TEXT_KEYS)) ctx.lossy = true;
  return { type: 'text', text: expectString(block.text, `${path}.text`) };
}

function parseImage(block: Json, path: string, ctx: Context): ImagePart | undefined {
  if (hasExtraKeys(block, IMAGE_KEYS)) ctx.lossy = true;
  const source = expectObject(block.source, `${path}.source`);
  switch (source.type) {
    case 'base64':
      return {
        type: 'image',
        source: {
          kind: 'base64',
          mediaType: expectString(source.media_type, `${path}.source.media_type`),
          data: expectString(source.data, `${path}.source.data`),
        },
      };
    case 'url':
      return { type: 'image', source: { kind: 'url', url: expectString(source.url, `${path}.source.url`) } };
    case 'file':
      keepNativeOnly(ctx, path, 'an image given by file_id');
      return undefined;
    default:
      throw invalid(`${path}.source.type`, "expected 'base64', 'url' or 'file'");
  }
}

/** `document` → a document part (base64 / text / url sources); file sources only Anthropic can read. */
function parseDocument(block: Json, path: string, ctx: Context): DocumentPart | undefined {
  if (hasExtraKeys(block, DOCUMENT_KEYS)) ctx.lossy = true;
  const source = expectObject(block.source, `${path}.source`);
  const title = optionalString(block.title, `${path}.title`);
  const context = optionalString(block.context, `${path}.context`);
  const labels = { ...(title !== undefined && { title }), ...(context !== undefined && { context }) };
  switch (source.type) {
    case 'base64':
      return {
        type: 'document',
        source: {
          kind: 'base64',
          mediaType: expectString(source.media_type, `${path}.source.media_type`),
          data: expectString(source.data, `${path}.source.data`),
        },
        ...labels,
      };
    case 'text':
      return {
        type: 'document',
        source: { kind: 'text', text: expectString(source.data, `${path}.source.data`) },
        ...labels,
      };
    case 'url':
      return {
        type: 'document',
        source: {
          kind: 'url',
          url: expectString(source.url, `${path}.source.url`),
          mediaType: 'application/pdf',
        },
        ...labels,
      };
    case 'file':
      ctx.lossy = true;
      ctx.untranslatable ??= `${path}.source: a document given by file_id is held by Anthropic's Files API, which only an Anthropic upstream can read`;
      return undefined;
    default:
      keepNativeOnly(ctx, path, `a document with a '${String(source.type)}' source`);
      return undefined;
  }
}

function parseToolResult(block: Json, path: string, ctx: Context): UserContentPart {
  if (hasExtraKeys(block, TOOL_RESULT_KEYS)) ctx.lossy = true;
  const toolCallId = expectString(block.tool_use_id, `${path}.tool_use_id`);
  const content: Array<TextPart | ImagePart> = [];
  const raw = block.content;
  if (typeof raw === 'string') {
    content.push({ type: 'text', text: raw });
  } else if (Array.isArray(raw)) {
    for (let i = 0; i < raw.length; i++) {
      const itemPath = `${path}.content.${i}`;
      const { block: item, type } = blockType(raw[i], itemPath);
      if (type === 'text') content.push(parseText(item, itemPath, ctx));
      else if (type === 'image') {
        const image = parseImage(item, itemPath, ctx);
        if (image) content.push(image);
      } else keepNativeOnly(ctx, itemPath, `a '${type}' block`);
    }
  } else if (raw !== undefined && raw !== null) {
    throw invalid(`${path}.content`, 'expected a string or an array of content blocks');
  }
  const isError = optionalBoolean(block.is_error, `${path}.is_error`);
  return { type: 'tool-result', toolCallId, content, ...(isError !== undefined && { isError }) };
}

function parseUserBlock(value: unknown, path: string, ctx: Context): UserContentPart | undefined {
  const { block, type } = blockType(value, path);
  switch (type) {
    case 'text':
      return parseText(block, path, ctx);
    case 'image':
      return parseImage(block, path, ctx);
    case 'tool_result':
      return parseToolResult(block, path, ctx);
    case 'document':
      return parseDocument(block, path, ctx);
    case 'tool_use':
    case 'thinking':
    case 'redacted_thinking':
      throw invalid(path, `'${type}' blocks belong in assistant messages`);
    default:
      keepNativeOnly(ctx, path, `a '${type}' block`);
      return undefined;
  }
}

function parseAssistantBlock(value: unknown, path: string, ctx: Context): AssistantContentPart | undefined {
  const { block, type } = blockType(value, path);
  switch (type) {
    case 'text':
      return parseText(block, path, ctx);
    case 'tool_use': {
      if (hasExtraKeys(block, TOOL_USE_KEYS)) ctx.lossy = true;
      const input = block.input === undefined ? {} : block.input;
      return {
        type: 'tool-call',
        id: expectString(block.id, `${path}.id`),
        name: expectString(block.name, `${path}.name`),
        arguments: JSON.stringify(input),
      };
    }
    case 'thinking': {
      if (hasExtraKeys(block, THINKING_KEYS)) ctx.lossy = true;
      const signature = optionalString(block.signature, `${path}.signature`);
      return {
        type: 'thinking',
        text: expectString(block.thinking, `${path}.thinking`),
        ...(signature !== undefined && { signature }),
      };
    }
    case 'redacted_thinking':
      if (hasExtraKeys(block, REDACTED_KEYS)) ctx.lossy = true;
      return { type: 'redacted-thinking', data: expectString(block.data, `${path}.data`) };
    case 'image':
    case 'tool_result':
      throw invalid(path, `'${type}' blocks belong in user messages`);
    default:
      keepNativeOnly(ctx, path, `a '${type}' block`);
      return undefined;
  }
}

/** A `role: "system"` turn mid-conversation (Claude Code sends them): instructions at their position. */
function parseSystemTurn(message: Json, path: string, ctx: Context): CanonicalMessage {
  const raw = message.content;
  if (typeof raw === 'string') return { role: 'system', content: [{ type: 'text', text: raw }] };
  if (!Array.isArray(raw)) throw invalid(`${path}.content`, 'expected a string or an array of text blocks');
  const content: TextPart[] = [];
  for (let i = 0; i < raw.length; i++) {
    const { block, type } = blockType(raw[i], `${path}.content.${i}`);
    if (type === 'text') content.push(parseText(block, `${path}.content.${i}`, ctx));
    else keepNativeOnly(ctx, `${path}.content.${i}`, `a '${type}' block`);
  }
  return { role: 'system', content };
}

function parseMessage(value: unknown, path: string, ctx: Context): CanonicalMessage | undefined {
  const message = expectObject(value, path);
  const role = message.role;
  if (role === 'system') return parseSystemTurn(message, path, ctx);
  if (role !== 'user' && role !== 'assistant') {
    // A role this proxy does not know: an Anthropic upstream gets it as sent; no other can.
    if (typeof role !== 'string') throw invalid(`${path}.role`, "expected 'user', 'assistant' or 'system'");
    ctx.lossy = true;
    ctx.untranslatable ??= `${path}.role: '${role}' messages can only be sent to an Anthropic upstream`;
    return undefined;
  }
  const raw = message.content;
  if (typeof raw === 'string') return { role, content: [{ type: 'text', text: raw }] };
  if (!Array.isArray(raw))
    throw invalid(`${path}.content`, 'expected a string or an array of content blocks');
  if (role === 'user') {
    const content: UserContentPart[] = [];
    for (let i = 0; i < raw.length; i++) {
      const part = parseUserBlock(raw[i], `${path}.content.${i}`, ctx);
      if (part) content.push(part);
    }
    return { role, content };
  }
  const content: AssistantContentPart[] = [];
  for (let i = 0; i < raw.length; i++) {
    const part = parseAssistantBlock(raw[i], `${path}.content.${i}`, ctx);
    if (part) content.push(part);
  }
  return { role, content };
}

function parseSystem(value: unknown, ctx: Context): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) throw invalid('system', 'expected a string or an array of text blocks');
  const texts: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const { block, type } = blockType(value[i], `system.${i}`);
    if (type !== 'text') throw invalid(`system.${i}.type`, "expected 'text'");
    if (hasExtraKeys(block, SYSTEM_KEYS)) ctx.lossy = true;
    texts.push(expectString(block.text, `system.${i}.text`));
  }
  return texts.join('\n\n');
}

/** Tools with a canonical form, and the names of the server tools only an Anthropic upstream runs. */
function parseTools(value: unknown, ctx: Context, serverTools: Set<string>): CanonicalTool[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalid('tools', 'expected an array of tools');
  const tools: CanonicalTool[] = [];
  for (let i = 0; i < value.length; i++) {
    const path = `tools.${i}`;
    const tool = expectObject(value[i], path);
    if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
      const name = typeof tool.name === 'string' ? `'${tool.name}' ` : '';
      serverTools.add(typeof tool.name === 'string' ? tool.name : String(tool.type));
      keepNativeOnly(ctx, path, `server tool ${name}(${String(tool.type)})`);
      continue;
    }
    if (hasExtraKeys(tool, TOOL_KEYS)) ctx.lossy = true;
    const name = expectString(tool.name, `${path}.name`);
    if (!name) throw invalid(`${path}.name`, 'expected a non-empty tool name');
    const description = optionalString(tool.description, `${path}.description`);
    const inputSchema = expectObject(tool.input_schema, `${path}.input_schema`);
    tools.push({ name, ...(description !== undefined && { description }), inputSchema });
  }
  return tools;
}

function parseToolChoice(value: unknown): { toolChoice?: ToolChoice; parallelToolCalls?: boolean } {
  if (value === undefined || value === null) return {};
  const choice = expectObject(value, 'tool_choice');
  const disable = optionalBoolean(choice.disable_parallel_tool_use, 'tool_choice.disable_parallel_tool_use');
  const parallel = disable === undefined ? {} : { parallelToolCalls: !disable };
  switch (choice.type) {
    case 'auto':
      return { toolChoice: { type: 'auto' }, ...parallel };
    case 'any':
      return { toolChoice: { type: 'required' }, ...parallel };
    case 'none':
      return { toolChoice: { type: 'none' }, ...parallel };
    case 'tool':
      return {
        toolChoice: { type: 'tool', name: expectString(choice.name, 'tool_choice.name') },
        ...parallel,
      };
    default:
      throw invalid('tool_choice.type', "expected 'auto', 'any', 'tool' or 'none'");
  }
}

/**
 * `thinking` and `output_config.effort` → canonical reasoning. enabled → a budget, adaptive → `mode`,
 * disabled → nothing; other thinking types, unknown efforts and other `output_config` keys stay in
 * `passthrough` (an Anthropic upstream gets them, others drop them with a warning).
 */
function parseReasoning(
  body: Json,
  passthrough: Record<string, unknown>,
  warnings: string[],
): CanonicalReasoning | undefined {
  const reasoning: CanonicalReasoning = {};
  if (body.thinking !== undefined && body.thinking !== null) {
    const thinking = expectObject(body.thinking, 'thinking');
    if (thinking.type === 'enabled') {
      const budgetTokens = optionalInteger(thinking.budget_tokens, 'thinking.budget_tokens', 1);
      if (budgetTokens === undefined)
        throw invalid('thinking.budget_tokens', 'expected an integer of at least 1');
      reasoning.budgetTokens = budgetTokens;
    } else if (thinking.type === 'adaptive') reasoning.mode = 'adaptive';
    else if (thinking.type !== 'disabled') {
      // Other types (between_tools, new ones) have no canonical meaning: same-dialect only.
      passthrough.thinking = thinking;
    }
    if (passthrough.thinking === undefined) {
      for (const key in thinking) {
        if (!THINKING_CONFIG_KEYS.has(key) && thinking[key] !== null && thinking[key] !== undefined)
          warnings.push(`thinking.${key} is sent only to Anthropic upstreams (dropped for others)`);
      }
    }
  }
  const config = body.output_config;
  if (isObject(config)) {
    const { effort, ...rest } = config;
    if (typeof effort === 'string' && EFFORTS.has(effort)) {
      reasoning.effort = effort as CanonicalReasoning['effort'];
      reasoning.effortParam = 'output_config';
      if (Object.keys(rest).length > 0) passthrough.output_config = rest;
    } else {
      if (effort !== undefined && effort !== null) {
        warnings.push(
          `output_config.effort ${JSON.stringify(effort)} is sent only to Anthropic upstreams (dropped for others)`,
        );
      }
      passthrough.output_config = config;
    }
  } else if (config !== undefined && config !== null) passthrough.output_config = config;
  return Object.keys(reasoning).length > 0 ? reasoning : undefined;
}

function parseStopSequences(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalid('stop_sequences', 'expected an array of strings');
  return value.map((item, i) => expectString(item, `stop_sequences.${i}`));
}

export function parseRequest(body: unknown): ParsedRequest {
  if (!isObject(body)) throw invalid('body', 'expected a JSON object');
  const model = expectString(body.model, 'model');
  if (!model) throw invalid('model', 'expected a model name');

  if (!Array.isArray(body.messages)) throw invalid('messages', 'expected an array of messages');
  if (body.messages.length === 0) throw invalid('messages', 'at least one message is required');

  const warnings: string[] = [];
  const native: NativeFields = { dialect: 'anthropic-messages' };
  let keepNative = false;

  const ctx: Context = { warnings, lossy: false };
  const messages: CanonicalMessage[] = [];
  for (let i = 0; i < body.messages.length; i++) {
    const message = parseMessage(body.messages[i], `messages.${i}`, ctx);
    if (message) messages.push(message);
  }
  if (ctx.lossy) {
    native.messages = body.messages;
    keepNative = true;
  }

  ctx.lossy = false;
  const system = parseSystem(body.system, ctx);
  if (ctx.lossy) {
    native.system = body.system;
    keepNative = true;
  }

  ctx.lossy = false;
  const serverTools = new Set<string>();
  const tools = parseTools(body.tools, ctx, serverTools);
  if (ctx.lossy) {
    native.tools = body.tools as unknown[];
    keepNative = true;
  }

  const { toolChoice, parallelToolCalls } = parseToolChoice(body.tool_choice);
  if (toolChoice?.type === 'tool' && serverTools.has(toolChoice.name)) {
    ctx.untranslatable ??= `tool_choice: forces the server tool '${toolChoice.name}', which only an Anthropic upstream can run`;
  } else if (toolChoice?.type === 'required' && serverTools.size > 0 && !tools?.length) {
    ctx.untranslatable ??=
      "tool_choice: 'any' can only pick a server tool here, which only an Anthropic upstream can run";
  }
  const maxTokens = optionalInteger(body.max_tokens, 'max_tokens', 1);
  const temperature = optionalNumber(body.temperature, 'temperature');
  const topP = optionalNumber(body.top_p, 'top_p');
  const topK = optionalInteger(body.top_k, 'top_k', 0);
  const stopSequences = parseStopSequences(body.stop_sequences);
  const stream = optionalBoolean(body.stream, 'stream') ?? false;

  const passthrough: Record<string, unknown> = {};
  for (const key in body) {
    if (!KNOWN_FIELDS.has(key)) passthrough[key] = body[key];
  }

  let userId: string | undefined;
  if (body.metadata !== undefined && body.metadata !== null) {
    const metadata = expectObject(body.metadata, 'metadata');
    userId = optionalString(metadata.user_id, 'metadata.user_id');
    if (hasExtraKeys(metadata, new Set(['user_id']))) passthrough.metadata = metadata;
  }

  const reasoning = parseReasoning(body, passthrough, warnings);
  const responseFormat = takeOutputFormat(passthrough);

  const request: CanonicalRequest = {
    model,
    ...(system !== undefined && { system }),
    messages,
    ...(tools !== undefined && { tools }),
    ...(toolChoice !== undefined && { toolChoice }),
    ...(parallelToolCalls !== undefined && { parallelToolCalls }),
    ...(maxTokens !== undefined && { maxTokens }),
    ...(temperature !== undefined && { temperature }),
    ...(topP !== undefined && { topP }),
    ...(topK !== undefined && { topK }),
    ...(stopSequences !== undefined && { stopSequences }),
    stream,
    ...(userId !== undefined && { userId }),
    ...(reasoning !== undefined && { reasoning }),
    ...(responseFormat !== undefined && { responseFormat }),
    sourceDialect: 'anthropic-messages',
    passthrough,
    ...(keepNative && { native }),
    ...(ctx.untranslatable !== undefined && { untranslatable: ctx.untranslatable }),
    raw: body,
  };
  return { request, warnings };
}

/** See `Dialect.parseRawRequest`: model and stream, and the body for an Anthropic upstream to judge. */
export function parseRawRequest(body: unknown): CanonicalRequest {
  if (!isObject(body)) throw invalid('body', 'expected a JSON object');
  const model = expectString(body.model, 'model');
  if (!model) throw invalid('model', 'expected a model name');
  // Every version of the API requires a list of messages: without one, nothing is worth forwarding.
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw invalid('messages', 'expected a non-empty array of messages');
  }
  return {
    model,
    messages: [],
    stream: body.stream === true,
    sourceDialect: 'anthropic-messages',
    passthrough: {},
    untranslatable: 'this request is forwarded as sent: only an Anthropic upstream can read it',
    raw: body,
  };
}
