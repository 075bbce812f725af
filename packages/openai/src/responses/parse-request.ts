/**
 * A client's Responses body (`POST /v1/responses`) → canonical request.
 * https://platform.openai.com/docs/api-reference/responses/create
 *
 * Decisions (see README.md):
 * - `instructions` and leading `system` / `developer` messages form the system prompt (see parse-input.ts).
 * - `function` tools → canonical tools. Other tool types (`web_search`, `file_search`, `namespace`,
 *   `custom`, `mcp`, …) cannot run on another provider: the client's `tools` are kept verbatim in
 *   `request.native` for a Responses upstream and dropped for others with a warning. A `tool_choice` that
 *   forces one of them (by type, by the name of a non-function tool, or `required` when only such tools are
 *   given) marks the request `requiresSameDialect` (the server answers 400 naming `tool_choice` for any other
 *   upstream): the request depends on it.
 * - `max_output_tokens` → maxTokens, `reasoning.effort` none … xhigh → reasoning effort (unknown efforts and
 *   `reasoning.summary` are kept in `passthrough`: only a Responses upstream gets them).
 * - `background`, `conversation`, `prompt` and logprobs need OpenAI's own state or stream:
 *   `requiresSameDialect`.
 * - `text.format` (text / json_object / json_schema) → canonical `responseFormat` (../chat/response-format.ts);
 *   the rest of `text` (`verbosity`…), or a format type canonical does not know, stays in `passthrough.text`.
 * - Every other field (`store`, `include`, `prompt_cache_key`, `previous_response_id`, `metadata`,
 *   `service_tier`, `truncation`, `client_metadata`, unknown ones…) goes to `passthrough`, never refused.
 */
import type {
  CanonicalRequest,
  CanonicalTool,
  NativeFields,
  ParsedRequest,
  ReasoningEffort,
  ToolChoice,
} from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import {
  invalid,
  isRecord,
  optionalBoolean,
  optionalNumber,
  optionalPositiveInteger,
  optionalString,
} from '../chat/request-checks.ts';
import { parseResponseFormat } from '../chat/response-format.ts';
import { type InputContext, parseInput } from './parse-input.ts';

export const RESPONSES_DIALECT = 'openai-responses';

/** Body fields this module maps; every other field is passed through. */
const MAPPED = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'max_output_tokens',
  'temperature',
  'top_p',
  'user',
  'reasoning',
  'stream',
  'previous_response_id',
  'store',
  'text',
]);

const EFFORTS = new Set(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);
const TOOL_KEYS = new Set(['type', 'name', 'description', 'parameters', 'strict']);
const FORCING_CHOICES = new Set(['auto', 'none', 'required']);

/** Function tools → canonical tools; `hosted` collects the names (else types) of the others, dropped. */
function parseTools(value: unknown, ctx: InputContext, hosted: string[]): CanonicalTool[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalid('tools', 'must be an array');
  const tools: CanonicalTool[] = [];
  value.forEach((tool, i) => {
    const param = `tools[${i}]`;
    if (!isRecord(tool)) throw invalid(param, 'must be an object');
    if (tool.type !== 'function') {
      ctx.lossy = true;
      const name = typeof tool.name === 'string' ? ` '${tool.name}'` : '';
      hosted.push(typeof tool.name === 'string' ? tool.name : String(tool.type));
      ctx.warnings.push(
        `${param}: the${name} ${String(tool.type)} tool runs only on OpenAI Responses upstreams (dropped for others)`,
      );
      return;
    }
    if (Object.keys(tool).some((key) => !TOOL_KEYS.has(key))) ctx.lossy = true;
    const name = optionalString(tool.name, `${param}.name`);
    if (!name) throw invalid(`${param}.name`, 'is required');
    const out: CanonicalTool = { name, inputSchema: { type: 'object', properties: {} } };
    const description = optionalString(tool.description, `${param}.description`);
    if (description !== undefined) out.description = description;
    if (tool.parameters !== undefined && tool.parameters !== null) {
      if (!isRecord(tool.parameters)) throw invalid(`${param}.parameters`, 'must be a JSON Schema object');
      out.inputSchema = tool.parameters;
    }
    // Left unset when absent: a Responses upstream then applies its own default (strict), others none.
    const strict = optionalBoolean(tool.strict, `${param}.strict`);
    if (strict !== undefined) out.strict = strict;
    tools.push(out);
  });
  return tools;
}

interface ParsedChoice {
  toolChoice?: ToolChoice;
  /** Kept verbatim for a Responses upstream (canonical cannot say it). */
  raw?: unknown;
  /** The choice forces a tool only a Responses upstream can run. */
  forcesHostedTool?: string;
}

function parseToolChoice(value: unknown, warnings: string[]): ParsedChoice {
  if (value === undefined || value === null) return {};
  if (typeof value === 'string') {
    if (FORCING_CHOICES.has(value)) return { toolChoice: { type: value as 'auto' | 'none' | 'required' } };
    throw invalid('tool_choice', "must be 'auto', 'none', 'required' or an object");
  }
  if (!isRecord(value) || typeof value.type !== 'string') {
    throw invalid('tool_choice', "must be 'auto', 'none', 'required' or an object with a type");
  }
  if (value.type === 'function') {
    const name = optionalString(value.name, 'tool_choice.name');
    if (!name) throw invalid('tool_choice.name', 'is required');
    return { toolChoice: { type: 'tool', name } };
  }
  if (value.type === 'allowed_tools') {
    warnings.push(
      'tool_choice: allowed_tools limits the tools only on OpenAI Responses upstreams (others may call any tool)',
    );
    return { toolChoice: { type: value.mode === 'required' ? 'required' : 'auto' }, raw: value };
  }
  const name = typeof value.name === 'string' ? ` '${value.name}'` : '';
  return { raw: value, forcesHostedTool: `the ${value.type} tool${name}` };
}

/** A choice the canonical tools cannot honour because it picks a dropped tool (see parseTools). */
function forcedHostedTool(
  choice: ParsedChoice,
  tools: CanonicalTool[] | undefined,
  hosted: string[],
): string | undefined {
  if (choice.forcesHostedTool || hosted.length === 0) return choice.forcesHostedTool;
  const forced = choice.toolChoice;
  if (
    forced?.type === 'tool' &&
    hosted.includes(forced.name) &&
    !tools?.some((t) => t.name === forced.name)
  ) {
    return `the '${forced.name}' tool`;
  }
  if (forced?.type === 'required' && !tools?.length) {
    return `one of ${hosted.map((name) => `'${name}'`).join(', ')} (required, and no function tool is given)`;
  }
  return undefined;
}

function sameDialectReason(body: Record<string, unknown>, choice: ParsedChoice): string | undefined {
  if (choice.forcesHostedTool) {
    return `tool_choice forces ${choice.forcesHostedTool}, which only an OpenAI Responses upstream can run`;
  }
  if (body.background === true) return 'background responses are only run by an OpenAI Responses upstream';
  if (body.conversation !== undefined && body.conversation !== null) {
    return 'conversation state is kept by OpenAI: only an OpenAI Responses upstream can use it';
  }
  if (body.prompt !== undefined && body.prompt !== null) {
    return 'prompt templates are stored by OpenAI: only an OpenAI Responses upstream can use them';
  }
  const include = Array.isArray(body.include) ? body.include : [];
  if (
    (typeof body.top_logprobs === 'number' && body.top_logprobs > 0) ||
    include.includes('message.output_text.logprobs')
  ) {
    return 'logprobs are only available from an OpenAI Responses upstream';
  }
  return undefined;
}

function parseReasoning(
  value: unknown,
  request: CanonicalRequest,
  passthrough: Record<string, unknown>,
  warnings: string[],
): void {
  if (value === undefined || value === null) return;
  if (!isRecord(value)) throw invalid('reasoning', 'must be an object');
  const effort = optionalString(value.effort, 'reasoning.effort');
  if (effort !== undefined && EFFORTS.has(effort)) {
    request.reasoning = { effort: effort as ReasoningEffort };
  } else if (effort !== undefined) {
    warnings.push(`reasoning.effort '${effort}' is only passed to OpenAI Responses upstreams`);
  }
  const extra = Object.keys(value).filter((key) => key !== 'effort' && value[key] !== null);
  if (extra.length > 0) {
    warnings.push(`reasoning.${extra.join(', reasoning.')} is only passed to OpenAI Responses upstreams`);
  }
  if (extra.length > 0 || (effort !== undefined && !EFFORTS.has(effort))) passthrough.reasoning = value;
}

/** `text.format` → canonical `responseFormat`; the rest of `text` (or an unknown format) → `passthrough.text`. */
function parseText(value: unknown, request: CanonicalRequest, passthrough: Record<string, unknown>): void {
  if (value === undefined || value === null) return;
  if (!isRecord(value)) throw invalid('text', 'must be an object');
  const { format, ...rest } = value;
  const parsed = parseResponseFormat(format, 'text.format', true);
  if (parsed) request.responseFormat = parsed;
  else if (format !== undefined && format !== null) {
    passthrough.text = value;
    return;
  }
  if (Object.keys(rest).length > 0) passthrough.text = rest;
}

export function parseRequest(body: unknown): ParsedRequest {
  if (!isRecord(body)) throw invalid('body', 'must be a JSON object with model and input');
  const model = optionalString(body.model, 'model');
  if (!model) throw invalid('model', 'is required');
  const warnings: string[] = [];
  const native: NativeFields = { dialect: RESPONSES_DIALECT };
  let keepNative = false;

  const instructions = optionalString(body.instructions, 'instructions');
  const ctx: InputContext = { warnings, lossy: false };
  const { system, messages } = parseInput(body.input, ctx);
  if (ctx.lossy) {
    native.messages = body.input as unknown[];
    // With the input kept as sent, its system messages stay in it: `instructions` alone is the system field.
    if (instructions !== undefined) native.system = instructions;
    keepNative = true;
  }

  ctx.lossy = false;
  const hosted: string[] = [];
  const tools = parseTools(body.tools, ctx, hosted);
  if (ctx.lossy) {
    native.tools = body.tools as unknown[];
    keepNative = true;
  }

  const passthrough: Record<string, unknown> = {};
  for (const key of Object.keys(body)) {
    if (!MAPPED.has(key)) passthrough[key] = body[key];
  }
  const stream = optionalBoolean(body.stream, 'stream') ?? false;
  const request: CanonicalRequest = {
    model,
    messages,
    stream,
    sourceDialect: RESPONSES_DIALECT,
    passthrough,
  };
  const systemParts = instructions !== undefined && instructions !== '' ? [instructions, ...system] : system;
  if (systemParts.length > 0) request.system = systemParts.join('\n\n');
  if (tools && tools.length > 0) request.tools = tools;

  const choice = parseToolChoice(body.tool_choice, warnings);
  const forced = forcedHostedTool(choice, tools, hosted);
  if (forced !== undefined) choice.forcesHostedTool = forced;
  if (choice.toolChoice) request.toolChoice = choice.toolChoice;
  if (choice.raw !== undefined) passthrough.tool_choice = choice.raw;
  const parallel = optionalBoolean(body.parallel_tool_calls, 'parallel_tool_calls');
  if (parallel !== undefined) request.parallelToolCalls = parallel;

  const maxTokens = optionalPositiveInteger(body.max_output_tokens, 'max_output_tokens');
  if (maxTokens !== undefined) request.maxTokens = maxTokens;
  const temperature = optionalNumber(body.temperature, 'temperature', 0, 2);
  if (temperature !== undefined) request.temperature = temperature;
  const topP = optionalNumber(body.top_p, 'top_p', 0, 1);
  if (topP !== undefined) request.topP = topP;
  const user = optionalString(body.user, 'user');
  if (user !== undefined) request.userId = user;
  parseReasoning(body.reasoning, request, passthrough, warnings);
  parseText(body.text, request, passthrough);
  const previous = optionalString(body.previous_response_id, 'previous_response_id');
  if (previous) request.previousResponseId = previous;
  // Stored unless the client says not (the API's default).
  request.store = optionalBoolean(body.store, 'store') ?? true;

  const reason = sameDialectReason(body, choice);
  if (reason) request.requiresSameDialect = reason;
  if (keepNative) request.native = native;
  if (ctx.untranslatable !== undefined) request.untranslatable = ctx.untranslatable;
  request.raw = body;
  return { request, warnings };
}

/** See `Dialect.parseRawRequest`: model and stream, and the body for a Responses upstream to judge. */
export function parseRawRequest(body: unknown): CanonicalRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ProviderError({
      type: 'invalid_request',
      param: 'body',
      message: 'body: must be a JSON object',
    });
  }
  const record = body as Record<string, unknown>;
  const model = typeof record.model === 'string' ? record.model : '';
  if (!model)
    throw new ProviderError({ type: 'invalid_request', param: 'model', message: 'model: is required' });
  if (record.input === undefined || record.input === null) {
    throw new ProviderError({ type: 'invalid_request', param: 'input', message: 'input: is required' });
  }
  return {
    model,
    messages: [],
    stream: record.stream === true,
    sourceDialect: RESPONSES_DIALECT,
    passthrough: {},
    untranslatable: 'this request is forwarded as sent: only a Responses upstream can read it',
    raw: record,
  };
}
