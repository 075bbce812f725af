/**
 * Canonical request → Anthropic Messages body (`POST /v1/messages`).
 *
 * - `max_tokens` is always sent (Anthropic requires it): the request's, else `options.defaultMaxTokens`.
 * - Consecutive messages of one role are merged; in a user message, tool results come first (Anthropic
 *   requires tool_result blocks to lead the turn that answers a tool_use). Empty text parts are left out.
 * - A thinking part is sent only with its signature (Anthropic rejects unsigned thinking), and never with a
 *   signature another dialect tagged for its own provider (`gemini-ts:…`), not even in a raw body.
 * - Same dialect (`sourceDialect === 'anthropic-messages'`): `native` fields and `passthrough` are re-applied
 *   verbatim. Across dialects they are dropped and named in `warnings`, and a few values are adjusted
 *   to Anthropic's ranges (temperature ≤ 1; sampling limits with thinking), each with a warning.
 * - Reasoning: a budget → `thinking: {type: 'enabled'}`; `mode: 'adaptive'` → `thinking: {type: 'adaptive'}`;
 *   an effort from `output_config` goes back there; an effort from another dialect (OpenAI) becomes a
 *   thinking budget (EFFORT_BUDGET; `none` / `minimal`: no thinking).
 * - Documents → `document` blocks (document.ts): PDFs as base64 or URL sources, text files as text sources,
 *   images as image blocks; other file types are refused (400), as Anthropic reads none.
 * - Structured output → `output_config.format` (output-format.ts; json_object has no Anthropic form: dropped,
 *   warned).
 * - A request another dialect marked `requiresSameDialect` or `untranslatable` (a forced hosted tool...) is
 *   refused with a 400 naming the field.
 */

import type {
  AssistantContentPart,
  BuildRequestOptions,
  CanonicalRequest,
  ImagePart,
  ImageSource,
  TextPart,
  UserContentPart,
} from '@tokenpak/provider';
import { refuseUntranslatable, signatureTag } from '@tokenpak/provider';
import { documentBlock } from './document.ts';
import { buildOutputFormat } from './output-format.ts';

type Block = Record<string, unknown>;
interface WireMessage {
  role: 'user' | 'assistant' | 'system';
  content: Block[];
}

/** Thinking budgets for an OpenAI-style `reasoning_effort` ('none' and 'minimal' send no thinking). */
const EFFORT_BUDGET = { low: 1024, medium: 4096, high: 16384, xhigh: 32768, max: 65536 } as const;
const MIN_THINKING_BUDGET = 1024;

function isBlock(value: unknown): value is Block {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const DATA_URL = /^data:([^;,]+);base64,/;

function imageSource(source: ImageSource): Block {
  if (source.kind === 'base64') return { type: 'base64', media_type: source.mediaType, data: source.data };
  const match = DATA_URL.exec(source.url);
  if (match) return { type: 'base64', media_type: match[1], data: source.url.slice(match[0].length) };
  return { type: 'url', url: source.url };
}

function resultContent(parts: Array<TextPart | ImagePart>): string | Block[] | undefined {
  if (parts.length === 1 && parts[0]!.type === 'text') return parts[0]!.text;
  const blocks: Block[] = [];
  for (const part of parts) {
    if (part.type === 'text') {
      if (part.text) blocks.push({ type: 'text', text: part.text });
    } else blocks.push({ type: 'image', source: imageSource(part.source) });
  }
  return blocks.length > 0 ? blocks : undefined;
}

function userBlocks(parts: UserContentPart[], sameDialect: boolean): Block[] {
  const results: Block[] = [];
  const others: Block[] = [];
  for (const part of parts) {
    if (part.type === 'tool-result') {
      const content = resultContent(part.content);
      results.push({
        type: 'tool_result',
        tool_use_id: part.toolCallId,
        ...(content !== undefined && { content }),
        ...(part.isError && { is_error: true }),
      });
    } else if (part.type === 'image') others.push({ type: 'image', source: imageSource(part.source) });
    else if (part.type === 'document') others.push(documentBlock(part, sameDialect));
    else if (part.text) others.push({ type: 'text', text: part.text });
  }
  return results.length === 0 ? others : results.concat(others);
}

function toolInput(part: { id: string; name: string; arguments: string }, warnings: string[]): unknown {
  if (part.arguments.trim() === '') return {};
  try {
    const input = JSON.parse(part.arguments);
    if (input !== null && typeof input === 'object' && !Array.isArray(input)) return input;
  } catch {
    // falls through to the warning
  }
  warnings.push(`tool call ${part.id} (${part.name}): arguments are not a JSON object; sent as {}`);
  return {};
}

function assistantBlocks(parts: AssistantContentPart[], warnings: string[]): Block[] {
  const blocks: Block[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 'text':
        if (part.text) blocks.push({ type: 'text', text: part.text });
        break;
      case 'tool-call':
        blocks.push({ type: 'tool_use', id: part.id, name: part.name, input: toolInput(part, warnings) });
        break;
      case 'thinking': {
        // A tagged signature was minted for another provider (Gemini's `gemini-ts:`): Anthropic would
        // refuse the whole request over it ("Invalid signature"), so the block goes, as unsigned ones do.
        const tag = part.signature === undefined ? undefined : signatureTag(part.signature);
        if (part.signature && tag === undefined)
          blocks.push({ type: 'thinking', thinking: part.text, signature: part.signature });
        else if (tag !== undefined) warnOnce(warnings, foreignSignatureWarning(tag));
        else if (part.text)
          warnings.push('reasoning without an Anthropic signature was left out of the history');
        break;
      }
      case 'redacted-thinking':
        blocks.push({ type: 'redacted_thinking', data: part.data });
        break;
    }
  }
  return blocks;
}

function foreignSignatureWarning(tag: string): string {
  return `reasoning signed for another provider (${tag}) was left out of the history`;
}

function warnOnce(warnings: string[], warning: string): void {
  if (!warnings.includes(warning)) warnings.push(warning);
}

/**
 * An Anthropic client's messages without the thinking blocks whose signature was minted for another
 * provider (a conversation that went through a Gemini model, then moved to Claude): the same array when
 * there are none, which is the case the raw path is for.
 */
function withoutForeignThinking(messages: unknown, warnings: string[]): unknown {
  if (!Array.isArray(messages)) return messages;
  const foreign = (block: unknown): string | undefined =>
    isBlock(block) && block.type === 'thinking' && typeof block.signature === 'string'
      ? signatureTag(block.signature)
      : undefined;
  const affected = messages.some(
    (message) =>
      isBlock(message) &&
      Array.isArray(message.content) &&
      message.content.some((b) => foreign(b) !== undefined),
  );
  if (!affected) return messages;
  return messages.map((message) => {
    if (!isBlock(message) || !Array.isArray(message.content)) return message;
    const content = message.content.filter((block) => {
      const tag = foreign(block);
      if (tag !== undefined) warnOnce(warnings, foreignSignatureWarning(tag));
      return tag === undefined;
    });
    return content.length === message.content.length ? message : { ...message, content };
  });
}

/** Tool results first, then the rest, each group in its original order. */
function toolResultsFirst(blocks: Block[]): Block[] {
  const results = blocks.filter((block) => block.type === 'tool_result');
  if (results.length === 0 || results.length === blocks.length) return blocks;
  return results.concat(blocks.filter((block) => block.type !== 'tool_result'));
}

function buildMessages(request: CanonicalRequest, warnings: string[]): WireMessage[] {
  const out: WireMessage[] = [];
  for (const message of request.messages) {
    if (message.role === 'system') {
      // Only an Anthropic client's own system turns are sent as such (they need its beta flag, which it sent);
      // from other dialects they were folded into the system prompt by buildRequest.
      out.push({
        role: 'system',
        content: message.content.map((part) => ({ type: 'text', text: part.text })),
      });
      continue;
    }
    const content =
      message.role === 'user'
        ? userBlocks(message.content, request.sourceDialect === 'anthropic-messages')
        : assistantBlocks(message.content, warnings);
    if (content.length === 0) continue;
    const last = out[out.length - 1];
    if (last && last.role === message.role) {
      const merged = last.content.concat(content);
      last.content = message.role === 'user' ? toolResultsFirst(merged) : merged;
    } else out.push({ role: message.role, content });
  }
  return out;
}

/**
 * A client that spoke Anthropic's Messages API itself: its body as sent, with only the model and the stream
 * flag set (and `max_tokens`, which Anthropic requires, when it had none). Unknown fields, roles, blocks and
 * tool types reach the upstream unchanged.
 */
function fromRawBody(
  raw: Readonly<Record<string, unknown>>,
  options: BuildRequestOptions,
  warnings: string[],
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...raw, model: options.model };
  const messages = withoutForeignThinking(raw.messages, warnings);
  if (messages !== raw.messages) body.messages = messages;
  if (body.max_tokens === undefined) body.max_tokens = options.defaultMaxTokens;
  body.stream = options.stream;
  return body;
}

/** System turns from another dialect's conversation: folded into the system prompt, with a warning. */
function foldSystemTurns(request: CanonicalRequest, warnings: string[]): CanonicalRequest {
  if (!request.messages.some((message) => message.role === 'system')) return request;
  const texts: string[] = request.system ? [request.system] : [];
  const messages = request.messages.filter((message) => {
    if (message.role !== 'system') return true;
    texts.push(message.content.map((part) => part.text).join('\n'));
    return false;
  });
  warnings.push(
    'system messages after the first turn are sent in the system prompt (Anthropic takes them only there)',
  );
  return { ...request, system: texts.join('\n\n'), messages };
}

export function buildRequest(
  input: CanonicalRequest,
  options: BuildRequestOptions,
  warnings: string[] = [],
): Record<string, unknown> {
  if (input.raw !== undefined && input.sourceDialect === 'anthropic-messages')
    return fromRawBody(input.raw, options, warnings);
  const sameDialect = input.sourceDialect === 'anthropic-messages';
  const request = sameDialect ? input : foldSystemTurns(input, warnings);
  refuseUntranslatable(request, 'anthropic-messages');
  const native = sameDialect && request.native?.dialect === 'anthropic-messages' ? request.native : undefined;

  let maxTokens = request.maxTokens ?? options.defaultMaxTokens;
  const body: Record<string, unknown> = { model: options.model, max_tokens: maxTokens };

  if (native?.system !== undefined) body.system = native.system;
  else if (request.system) body.system = request.system;

  body.messages = native?.messages ?? buildMessages(request, warnings);

  if (native?.tools !== undefined) body.tools = native.tools;
  else if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      name: tool.name,
      ...(tool.description !== undefined && { description: tool.description }),
      input_schema: tool.inputSchema,
    }));
    if (request.tools.some((tool) => tool.strict)) {
      warnings.push('tools[].strict is dropped: Anthropic is not asked to follow tool schemas strictly');
    }
  }

  const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
  if (hasTools && (request.toolChoice || request.parallelToolCalls === false)) {
    const choice = request.toolChoice ?? { type: 'auto' };
    const toolChoice: Record<string, unknown> =
      choice.type === 'required'
        ? { type: 'any' }
        : choice.type === 'tool'
          ? { type: 'tool', name: choice.name }
          : { type: choice.type };
    if (request.parallelToolCalls === false && choice.type !== 'none')
      toolChoice.disable_parallel_tool_use = true;
    body.tool_choice = toolChoice;
  }

  // Thinking: an explicit budget; adaptive; else a budget for an effort another dialect asked for (an
  // Anthropic client's `output_config.effort` goes back as such, without asking for thinking).
  const reasoning = request.reasoning;
  let budget = reasoning?.budgetTokens;
  const effort = reasoning?.effort;
  const adaptive = reasoning?.mode === 'adaptive' && budget === undefined;
  if (effort !== undefined && reasoning?.effortParam === 'output_config') {
    body.output_config = { effort };
  } else if (budget === undefined && !adaptive && effort !== undefined) {
    if (effort !== 'none' && effort !== 'minimal') budget = EFFORT_BUDGET[effort];
  }
  if (budget !== undefined && budget >= maxTokens) {
    if (request.maxTokens === undefined) maxTokens = budget + options.defaultMaxTokens;
    else if (!sameDialect) {
      const fitted = maxTokens - 1;
      if (fitted >= MIN_THINKING_BUDGET) budget = fitted;
      else {
        warnings.push(
          `reasoning was not requested: max_tokens ${maxTokens} leaves no room for a thinking budget`,
        );
        budget = undefined;
      }
    }
    body.max_tokens = maxTokens;
  }
  const format = buildOutputFormat(request, sameDialect, warnings);
  if (format !== undefined)
    body.output_config = { ...(isBlock(body.output_config) && body.output_config), format };
  const thinking = budget !== undefined || adaptive;
  if (budget !== undefined) body.thinking = { type: 'enabled', budget_tokens: budget };
  else if (adaptive) body.thinking = { type: 'adaptive' };

  let temperature = request.temperature;
  let topP = request.topP;
  let topK = request.topK;
  if (!sameDialect) {
    if (temperature !== undefined && temperature > 1) {
      warnings.push(`temperature ${temperature} is above Anthropic's maximum; sent as 1`);
      temperature = 1;
    }
    if (thinking) {
      if (temperature !== undefined && temperature !== 1) {
        warnings.push('temperature is not allowed with thinking; dropped');
        temperature = undefined;
      }
      if (topP !== undefined && topP < 0.95) {
        warnings.push('top_p below 0.95 is not allowed with thinking; dropped');
        topP = undefined;
      }
      if (topK !== undefined) {
        warnings.push('top_k is not allowed with thinking; dropped');
        topK = undefined;
      }
    }
  }
  if (temperature !== undefined) body.temperature = temperature;
  if (topP !== undefined) body.top_p = topP;
  if (topK !== undefined) body.top_k = topK;
  if (request.stopSequences && request.stopSequences.length > 0) body.stop_sequences = request.stopSequences;
  if (request.userId !== undefined) body.metadata = { user_id: request.userId };
  body.stream = options.stream;

  if (sameDialect) {
    for (const key in request.passthrough) {
      if (key === 'output_config' && isBlock(body.output_config) && isBlock(request.passthrough[key])) {
        body.output_config = { ...request.passthrough[key], ...body.output_config };
      } else if (key !== 'model' && key !== 'stream' && key !== 'messages') {
        body[key] = request.passthrough[key];
      }
    }
  } else {
    for (const key in request.passthrough) {
      warnings.push(`${key} has no Anthropic equivalent; dropped`);
    }
  }
  return body;
}
