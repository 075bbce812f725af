/**
 * A client's Chat Completions body → canonical request.
 * https://platform.openai.com/docs/api-reference/chat/create
 *
 * Fields without a canonical meaning (n, logprobs, seed, penalties, logit_bias, store,
 * metadata, service_tier, prediction, modalities, audio, web_search_options, top_k, …) go to `passthrough`
 * untouched: a same-dialect upstream gets them back, another dialect drops them with a warning.
 * `n > 1`, `logprobs: true` and audio output cannot be carried by the canonical stream, so they mark the
 * request `requiresSameDialect`: it is served byte-for-byte by an OpenAI-dialect upstream, or refused.
 * Tools other than `function` (`custom`, new types) are dropped for other dialects with a warning naming
 * each; a `tool_choice` that forces one (or `required` with only such tools) makes the request
 * `untranslatable` (an OpenAI-dialect upstream gets it as sent, others answer 400 naming `tool_choice`).
 * `reasoning_effort` none … xhigh → canonical effort; unknown values go to `passthrough`.
 * `response_format` text / json_object / json_schema → canonical `responseFormat` (response-format.ts); another
 * type goes to `passthrough`.
 */
import type {
  CanonicalRequest,
  CanonicalTool,
  ParsedRequest,
  ReasoningEffort,
  ToolChoice,
} from '@tokenpak/provider';
import { parseMessages } from './parse-messages.ts';
import {
  invalid,
  isRecord,
  optionalBoolean,
  optionalNumber,
  optionalPositiveInteger,
  optionalString,
} from './request-checks.ts';
import { parseResponseFormat } from './response-format.ts';

/** Body fields this module maps; every other field is passed through. */
const MAPPED = new Set([
  'model',
  'messages',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'stop',
  'user',
  'reasoning_effort',
  'stream',
  'stream_options',
  'response_format',
]);

const EFFORTS = new Set(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);

/** The name of a tool that is not a function (`custom: {name}`, or a `name` of its own), if it has one. */
function otherToolName(tool: Record<string, unknown>): string | undefined {
  const inner = typeof tool.type === 'string' ? tool[tool.type] : undefined;
  if (isRecord(inner) && typeof inner.name === 'string') return inner.name;
  return typeof tool.name === 'string' ? tool.name : undefined;
}

/**
 * Function tools → canonical tools. Other types (`custom`...) have no canonical form: dropped for other
 * dialects with a warning naming each (an OpenAI-dialect upstream gets the body as sent); `dropped` collects
 * their names.
 */
function parseTools(value: unknown, warnings: string[], dropped: string[]): CanonicalTool[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalid('tools', 'must be an array');
  const tools: CanonicalTool[] = [];
  value.forEach((tool, i) => {
    const param = `tools[${i}]`;
    if (!isRecord(tool)) throw invalid(param, 'must be an object');
    if (tool.type !== 'function') {
      if (typeof tool.type !== 'string') throw invalid(`${param}.type`, 'is required');
      const name = otherToolName(tool);
      dropped.push(name ?? tool.type);
      warnings.push(
        `${param}: the ${name === undefined ? '' : `'${name}' `}${tool.type} tool is sent only to OpenAI-dialect upstreams (dropped for others)`,
      );
      return;
    }
    tools.push(parseFunctionTool(tool, param));
  });
  return tools;
}

function parseFunctionTool(tool: Record<string, unknown>, param: string): CanonicalTool {
  const fn = tool.function;
  if (!isRecord(fn)) throw invalid(`${param}.function`, 'must be an object');
  const name = optionalString(fn.name, `${param}.function.name`);
  if (!name) throw invalid(`${param}.function.name`, 'is required');
  const out: CanonicalTool = { name, inputSchema: { type: 'object', properties: {} } };
  const description = optionalString(fn.description, `${param}.function.description`);
  if (description !== undefined) out.description = description;
  if (fn.parameters !== undefined && fn.parameters !== null) {
    if (!isRecord(fn.parameters))
      throw invalid(`${param}.function.parameters`, 'must be a JSON Schema object');
    out.inputSchema = fn.parameters;
  }
  const strict = optionalBoolean(fn.strict, `${param}.function.strict`);
  if (strict !== undefined) out.strict = strict;
  return out;
}

interface ParsedChoice {
  toolChoice?: ToolChoice;
  /** The choice depends on something only an OpenAI-dialect upstream has (a custom tool, allowed_tools). */
  untranslatable?: string;
}

function parseToolChoice(value: unknown): ParsedChoice {
  if (value === undefined || value === null) return {};
  if (value === 'auto' || value === 'none' || value === 'required') return { toolChoice: { type: value } };
  if (isRecord(value) && value.type === 'function' && isRecord(value.function)) {
    const name = optionalString(value.function.name, 'tool_choice.function.name');
    if (name) return { toolChoice: { type: 'tool', name } };
  }
  if (isRecord(value) && typeof value.type === 'string' && value.type !== 'function') {
    const inner = value[value.type];
    const name = isRecord(inner) && typeof inner.name === 'string' ? ` '${inner.name}'` : '';
    return {
      untranslatable: `tool_choice: ${value.type}${name} can only be honoured by an OpenAI-dialect upstream`,
    };
  }
  throw invalid(
    'tool_choice',
    "must be 'auto', 'none', 'required' or { type: 'function', function: { name } }",
  );
}

function parseStop(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.length > 0 ? (value as string[]) : undefined;
  }
  throw invalid('stop', 'must be a string or an array of strings');
}

function sameDialectReason(body: Record<string, unknown>): string | undefined {
  if (typeof body.n === 'number' && body.n > 1) {
    return 'n > 1 asks for several choices, which only an OpenAI-dialect upstream can stream';
  }
  if (body.logprobs === true) return 'logprobs are only available from an OpenAI-dialect upstream';
  if (Array.isArray(body.modalities) && body.modalities.includes('audio')) {
    return 'audio output is only available from an OpenAI-dialect upstream';
  }
  return undefined;
}

export function parseRequest(body: unknown): ParsedRequest {
  if (!isRecord(body)) {
    throw invalid('body', 'must be a JSON object with model and messages');
  }
  const warnings: string[] = [];
  const model = optionalString(body.model, 'model');
  if (!model) throw invalid('model', 'is required');
  const { system, messages, untranslatable } = parseMessages(body.messages, warnings);

  const passthrough: Record<string, unknown> = {};
  for (const key of Object.keys(body)) {
    if (!MAPPED.has(key)) passthrough[key] = body[key];
  }
  const stream = optionalBoolean(body.stream, 'stream') ?? false;
  const request: CanonicalRequest = { model, messages, stream, sourceDialect: 'openai-chat', passthrough };
  if (system !== undefined) request.system = system;

  const droppedTools: string[] = [];
  const tools = parseTools(body.tools, warnings, droppedTools);
  if (tools && tools.length > 0) request.tools = tools;
  const choice = parseToolChoice(body.tool_choice);
  if (choice.toolChoice) request.toolChoice = choice.toolChoice;
  if (untranslatable) request.untranslatable = untranslatable;
  else if (choice.untranslatable) request.untranslatable = choice.untranslatable;
  else if (choice.toolChoice?.type === 'required' && droppedTools.length > 0 && !request.tools) {
    request.untranslatable = `tool_choice: 'required' can only pick ${droppedTools.map((name) => `'${name}'`).join(', ')} here, which only an OpenAI-dialect upstream can run`;
  }
  const parallel = optionalBoolean(body.parallel_tool_calls, 'parallel_tool_calls');
  if (parallel !== undefined) request.parallelToolCalls = parallel;

  const maxTokens = optionalPositiveInteger(body.max_tokens, 'max_tokens');
  const maxCompletionTokens = optionalPositiveInteger(body.max_completion_tokens, 'max_completion_tokens');
  if (maxCompletionTokens !== undefined) {
    request.maxTokens = maxCompletionTokens;
    request.maxTokensParam = 'max_completion_tokens';
    if (maxTokens !== undefined) warnings.push('max_tokens is ignored: max_completion_tokens is set');
  } else if (maxTokens !== undefined) {
    request.maxTokens = maxTokens;
    request.maxTokensParam = 'max_tokens';
  }

  const temperature = optionalNumber(body.temperature, 'temperature', 0, 2);
  if (temperature !== undefined) request.temperature = temperature;
  const topP = optionalNumber(body.top_p, 'top_p', 0, 1);
  if (topP !== undefined) request.topP = topP;
  const stop = parseStop(body.stop);
  if (stop) request.stopSequences = stop;
  const user = optionalString(body.user, 'user');
  if (user !== undefined) request.userId = user;

  const effort = optionalString(body.reasoning_effort, 'reasoning_effort');
  if (effort !== undefined) {
    if (EFFORTS.has(effort)) request.reasoning = { effort: effort as ReasoningEffort };
    else {
      passthrough.reasoning_effort = effort;
      warnings.push(`reasoning_effort '${effort}' is only passed to OpenAI-dialect upstreams`);
    }
  }

  const streamOptions = body.stream_options;
  if (streamOptions !== undefined && streamOptions !== null) {
    if (!isRecord(streamOptions)) throw invalid('stream_options', 'must be an object');
    if (!stream) warnings.push('stream_options is ignored: stream is not true');
    else {
      const { include_usage: includeUsage, ...rest } = streamOptions;
      if (optionalBoolean(includeUsage, 'stream_options.include_usage')) request.includeUsage = true;
      if (Object.keys(rest).length > 0) passthrough.stream_options = rest;
    }
  }

  const format = parseResponseFormat(body.response_format, 'response_format', false);
  if (format) request.responseFormat = format;
  else if (body.response_format !== undefined && body.response_format !== null) {
    passthrough.response_format = body.response_format;
  }

  const reason = sameDialectReason(body);
  if (reason) request.requiresSameDialect = reason;
  request.raw = body;
  return { request, warnings };
}

/** See `Dialect.parseRawRequest`: model and stream, and the body for an OpenAI-dialect upstream to judge. */
export function parseRawRequest(body: unknown): CanonicalRequest {
  if (!isRecord(body)) throw invalid('body', 'must be a JSON object with model and messages');
  const model = typeof body.model === 'string' ? body.model : '';
  if (!model) throw invalid('model', 'is required');
  // Every version of the API requires a list of messages: without one, nothing is worth forwarding.
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw invalid('messages', 'must be a non-empty array');
  }
  const streamOptions = body.stream_options;
  return {
    model,
    messages: [],
    stream: body.stream === true,
    ...(isRecord(streamOptions) && streamOptions.include_usage === true && { includeUsage: true }),
    sourceDialect: 'openai-chat',
    passthrough: {},
    untranslatable: 'this request is forwarded as sent: only an OpenAI-dialect upstream can read it',
    ...(sameDialectReason(body) !== undefined && { requiresSameDialect: sameDialectReason(body) }),
    raw: body,
  };
}
