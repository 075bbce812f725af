/**
 * Canonical request → the Chat Completions body sent upstream.
 * https://platform.openai.com/docs/api-reference/chat/create
 *
 * Decisions (each dropped thing is named in `warnings`):
 * - The system prompt is the first `system` message; tool results become `tool` messages placed right after
 *   the assistant turn, and images inside a tool result follow in a user message (tool messages hold text only).
 * - Thinking is sent back as `reasoning_content` only when the client spoke OpenAI itself (DeepSeek needs it
 *   in tool loops); thinking from another dialect and redacted thinking are dropped.
 * - `tool_choice` and `parallel_tool_calls` are sent only with tools (OpenAI refuses them alone).
 * - Max tokens go out as `max_tokens`, or as `max_completion_tokens` when the client used that name.
 * - A stream always asks for `stream_options.include_usage`, so usage is never lost.
 * - Reasoning (see `openaiEffort`): an effort is sent as `reasoning_effort` (`max` as `xhigh`); a budget
 *   becomes an effort (< 2048 tokens low, < 8192 medium, else high), warned; adaptive alone sends none.
 * - Documents → `file` parts with `file_data` (a data: URL) and a file name; plain-text documents → text; a
 *   document given by URL is refused (400): Chat takes file data or ids only (document.ts).
 * - Structured output → `response_format` (response-format.ts): json_object as is, a json_schema with its
 *   name (`response` when the client's dialect has none), description and strict flag when set.
 * - `top_k` has no OpenAI equivalent and is dropped.
 * - `passthrough` is re-applied only for a client that spoke OpenAI itself.
 * - A request another dialect marked `requiresSameDialect` or `untranslatable` (a forced server tool...) is
 *   refused with a 400 naming the field.
 */
import type {
  BuildRequestOptions,
  CanonicalMessage,
  CanonicalReasoning,
  CanonicalRequest,
  DocumentPart,
  ImagePart,
  TextPart,
  ToolChoice,
  ToolResultPart,
} from '@tokenpak/provider';
import { refuseUntranslatable } from '@tokenpak/provider';
import { documentDataUrl, documentFilename, refuseDocument, warnDocumentLabels } from './document.ts';
import { chatResponseFormat } from './response-format.ts';

type WirePart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } }
  | { type: 'file'; file: { filename: string; file_data: string } };
type WireMessage = Record<string, unknown>;

const MAX_STOP_SEQUENCES = 4;

/** Adds a warning once, however many parts trigger it. */
function warn(warnings: string[], message: string): void {
  if (!warnings.includes(message)) warnings.push(message);
}

function imageUrl(part: ImagePart): WirePart {
  const { source } = part;
  const url = source.kind === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
  return { type: 'image_url', image_url: { url } };
}

function filePart(part: DocumentPart, warnings: string[]): WirePart {
  warnDocumentLabels(part, warnings);
  const { source } = part;
  if (source.kind === 'text') return { type: 'text', text: source.text };
  if (source.kind === 'url') throw refuseDocument(part, 'Chat Completions takes file data, not file URLs');
  return {
    type: 'file',
    file: { filename: documentFilename(part), file_data: documentDataUrl({ ...part, source }) },
  };
}

/** A single text part is sent as a plain string, as most clients do. */
function wireContent(
  parts: Array<TextPart | ImagePart | DocumentPart>,
  warnings: string[],
): string | WirePart[] {
  if (parts.length === 1 && parts[0]?.type === 'text') return parts[0].text;
  return parts.map((part) =>
    part.type === 'text'
      ? { type: 'text', text: part.text }
      : part.type === 'image'
        ? imageUrl(part)
        : filePart(part, warnings),
  );
}

function toolMessages(results: ToolResultPart[], out: WireMessage[], warnings: string[]): ImagePart[] {
  const images: ImagePart[] = [];
  for (const result of results) {
    const texts: TextPart[] = [];
    for (const part of result.content) {
      if (part.type === 'text') texts.push(part);
      else images.push(part);
    }
    if (result.isError) warn(warnings, 'a tool result marked as an error is sent as a plain tool message');
    out.push({
      role: 'tool',
      tool_call_id: result.toolCallId,
      content: texts.map((part) => part.text).join('\n'),
    });
  }
  if (images.length > 0)
    warn(warnings, 'images in tool results are sent in a user message after the tool messages');
  return images;
}

function convertMessage(
  message: CanonicalMessage,
  request: CanonicalRequest,
  out: WireMessage[],
  warnings: string[],
) {
  if (message.role === 'system') {
    // Instructions given mid-conversation stay at their position: OpenAI takes system messages anywhere.
    out.push({ role: 'system', content: message.content.map((part) => part.text).join('\n') });
    return;
  }
  if (message.role === 'user') {
    const results: ToolResultPart[] = [];
    const rest: Array<TextPart | ImagePart | DocumentPart> = [];
    for (const part of message.content) {
      if (part.type === 'tool-result') results.push(part);
      else rest.push(part);
    }
    // Tool messages must directly follow the assistant's tool calls, so they go first.
    rest.unshift(...toolMessages(results, out, warnings));
    if (rest.length > 0 || results.length === 0)
      out.push({ role: 'user', content: wireContent(rest, warnings) });
    return;
  }
  const texts: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: Array<Record<string, unknown>> = [];
  for (const part of message.content) {
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'tool-call') {
      toolCalls.push({
        id: part.id,
        type: 'function',
        function: { name: part.name, arguments: part.arguments },
      });
    } else if (part.type === 'thinking' && request.sourceDialect === 'openai-chat') reasoning.push(part.text);
    else warn(warnings, `${part.type} parts of assistant messages are dropped: OpenAI cannot take them back`);
  }
  const wire: WireMessage = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null };
  if (reasoning.length > 0) wire.reasoning_content = reasoning.join('');
  if (toolCalls.length > 0) wire.tool_calls = toolCalls;
  out.push(wire);
}

/** Reasoning budget → effort, for both OpenAI dialects: < 2048 tokens low, < 8192 medium, else high. */
export function effortForBudget(budgetTokens: number): 'low' | 'medium' | 'high' {
  return budgetTokens < 2048 ? 'low' : budgetTokens < 8192 ? 'medium' : 'high';
}

/**
 * Canonical reasoning → an OpenAI effort (`param` names the wire field: `reasoning_effort` or
 * `reasoning.effort`), for both OpenAI dialects. An effort is sent as is, except Anthropic's `max`, sent as
 * `xhigh` (OpenAI's highest); a budget alone becomes an effort (effortForBudget); adaptive thinking alone
 * sends no effort (the model's default), as does no reasoning. Each change is warned.
 */
export function openaiEffort(
  reasoning: CanonicalReasoning | undefined,
  param: string,
  warnings: string[],
): string | undefined {
  if (!reasoning) return undefined;
  const { effort, budgetTokens } = reasoning;
  if (effort === 'max') {
    const source = reasoning.effortParam === 'output_config' ? 'output_config.effort' : 'the effort';
    warn(warnings, `${source} 'max' is sent as ${param} 'xhigh', OpenAI's highest`);
    return 'xhigh';
  }
  if (effort !== undefined) return effort;
  if (budgetTokens === undefined) return undefined;
  const mapped = effortForBudget(budgetTokens);
  warn(warnings, `the reasoning budget of ${budgetTokens} tokens is sent as ${param} '${mapped}'`);
  return mapped;
}

function wireToolChoice(choice: ToolChoice): unknown {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
}

/**
 * A client that spoke OpenAI's Chat Completions itself: its body as sent, with only the model and the stream
 * flag set. Unknown fields, roles and content parts reach the upstream unchanged.
 */
function fromRawBody(
  raw: Readonly<Record<string, unknown>>,
  options: BuildRequestOptions,
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...raw, model: options.model, stream: options.stream };
  if (options.stream) {
    // Usage is always asked for; the client sees it only if it asked (see EncodeStreamOptions.includeUsage).
    const extra = raw.stream_options;
    body.stream_options = {
      ...(extra !== null && typeof extra === 'object' ? extra : {}),
      include_usage: true,
    };
  } else delete body.stream_options;
  return body;
}

export function buildRequest(
  request: CanonicalRequest,
  options: BuildRequestOptions,
  warnings: string[] = [],
): Record<string, unknown> {
  if (request.raw !== undefined && request.sourceDialect === 'openai-chat')
    return fromRawBody(request.raw, options);
  refuseUntranslatable(request, 'openai-chat');
  const messages: WireMessage[] = [];
  if (request.system !== undefined) messages.push({ role: 'system', content: request.system });
  for (const message of request.messages) convertMessage(message, request, messages, warnings);
  const body: Record<string, unknown> = { model: options.model, messages };

  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => {
      const fn: Record<string, unknown> = { name: tool.name };
      if (tool.description !== undefined) fn.description = tool.description;
      fn.parameters = tool.inputSchema;
      if (tool.strict !== undefined) fn.strict = tool.strict;
      return { type: 'function', function: fn };
    });
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
    if (request.toolChoice) body.tool_choice = wireToolChoice(request.toolChoice);
  } else {
    if (request.parallelToolCalls !== undefined) {
      warn(warnings, 'parallel_tool_calls is dropped: OpenAI accepts it only with tools');
    }
    // Without tools, `auto` and `none` mean what no tool_choice means; only a demand for a tool is lost.
    const choice = request.toolChoice?.type;
    if (choice === 'required' || choice === 'tool') {
      warn(warnings, 'tool_choice is dropped: OpenAI accepts it only with tools');
    }
  }

  if (request.maxTokens !== undefined) {
    const sameDialect = request.sourceDialect === 'openai-chat';
    const name =
      sameDialect && request.maxTokensParam === 'max_completion_tokens'
        ? 'max_completion_tokens'
        : 'max_tokens';
    body[name] = request.maxTokens;
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.topK !== undefined) warn(warnings, 'top_k is dropped: OpenAI has no such parameter');
  if (request.stopSequences && request.stopSequences.length > 0) {
    if (request.stopSequences.length > MAX_STOP_SEQUENCES) {
      warn(warnings, `only the first ${MAX_STOP_SEQUENCES} stop sequences are sent: OpenAI accepts no more`);
    }
    body.stop = request.stopSequences.slice(0, MAX_STOP_SEQUENCES);
  }
  if (request.userId !== undefined) body.user = request.userId;
  const effort = openaiEffort(request.reasoning, 'reasoning_effort', warnings);
  if (effort !== undefined) body.reasoning_effort = effort;
  const responseFormat = chatResponseFormat(request.responseFormat);
  if (responseFormat !== undefined) body.response_format = responseFormat;

  const passthrough = request.passthrough;
  const passthroughKeys = Object.keys(passthrough);
  if (request.sourceDialect === 'openai-chat') {
    for (const key of passthroughKeys) {
      if (key !== 'stream_options' && !(key in body)) body[key] = passthrough[key];
    }
  } else if (passthroughKeys.length > 0) {
    warn(warnings, `dropped (no OpenAI equivalent): ${passthroughKeys.join(', ')}`);
  }

  body.stream = options.stream;
  if (options.stream) {
    const extra = request.sourceDialect === 'openai-chat' ? passthrough.stream_options : undefined;
    body.stream_options = {
      ...(extra !== null && typeof extra === 'object' ? extra : {}),
      include_usage: true,
    };
  }
  return body;
}
