/**
 * Canonical request → Anthropic Messages body (`POST /v1/messages`).
 *
 * - `max_tokens` is always sent (Anthropic requires it): the request's, else `options.defaultMaxTokens`.
 * - Consecutive messages of one role are merged; in a user message, tool results come first (Anthropic
 *   requires tool_result blocks to lead the turn that answers a tool_use). Empty text parts are left out.
 * - A thinking part is sent only with its signature (Anthropic rejects unsigned thinking).
 * - Same dialect (`sourceDialect === 'anthropic-messages'`): `native` fields and `passthrough` are re-applied
 *   verbatim. Across dialects they are dropped and named in `warnings`, and a few values are adjusted
 *   to Anthropic's ranges (temperature ≤ 1; sampling limits with thinking), each with a warning.
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
import { ProviderError } from '@tokenpak/provider';

type Block = Record<string, unknown>;
interface WireMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

/** Thinking budgets for an OpenAI-style `reasoning_effort` ('minimal' sends no thinking). */
const EFFORT_BUDGET = { low: 1024, medium: 4096, high: 16384 } as const;
const MIN_THINKING_BUDGET = 1024;

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

function userBlocks(parts: UserContentPart[]): Block[] {
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
      case 'thinking':
        if (part.signature) blocks.push({ type: 'thinking', thinking: part.text, signature: part.signature });
        else if (part.text)
          warnings.push('reasoning without an Anthropic signature was left out of the history');
        break;
      case 'redacted-thinking':
        blocks.push({ type: 'redacted_thinking', data: part.data });
        break;
    }
  }
  return blocks;
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
    const content =
      message.role === 'user' ? userBlocks(message.content) : assistantBlocks(message.content, warnings);
    if (content.length === 0) continue;
    const last = out[out.length - 1];
    if (last && last.role === message.role) {
      const merged = last.content.concat(content);
      last.content = message.role === 'user' ? toolResultsFirst(merged) : merged;
    } else out.push({ role: message.role, content });
  }
  return out;
}

export function buildRequest(
  request: CanonicalRequest,
  options: BuildRequestOptions,
  warnings: string[] = [],
): Record<string, unknown> {
  const sameDialect = request.sourceDialect === 'anthropic-messages';
  if (!sameDialect && request.requiresSameDialect) {
    throw new ProviderError({
      type: 'invalid_request',
      message: `${request.requiresSameDialect}: this needs an upstream that speaks ${request.sourceDialect}`,
    });
  }
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

  // Thinking: an explicit budget, else a budget for the effort asked for.
  let budget = request.reasoning?.budgetTokens;
  const effort = request.reasoning?.effort;
  if (budget === undefined && effort !== undefined && effort !== 'minimal') budget = EFFORT_BUDGET[effort];
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
  const thinking = budget !== undefined;
  if (thinking) body.thinking = { type: 'enabled', budget_tokens: budget };

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
      if (key !== 'model' && key !== 'stream' && key !== 'messages') body[key] = request.passthrough[key];
    }
  } else {
    for (const key in request.passthrough) {
      warnings.push(`${key} has no Anthropic equivalent; dropped`);
    }
  }
  return body;
}
