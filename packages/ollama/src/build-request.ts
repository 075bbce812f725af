/**
 * Canonical request → the `POST /api/chat` body.
 *
 * Decisions (each dropped or changed thing is named in `warnings`):
 * - The system prompt is the first `system` message; mid-conversation system turns stay at their position.
 * - Images go in `images` as base64 (Ollama takes no URLs: an image given by URL is dropped).
 * - An assistant's tool calls go back as `tool_calls` with `function.arguments` parsed into an object
 *   (Ollama wants an object; arguments that are not a JSON object are sent as `{}`); its thinking as
 *   `thinking`. Redacted thinking is dropped.
 * - A tool result becomes a `tool` message with `tool_name`, the name of the call it answers (looked up by
 *   id among the earlier assistant turns). Images in a tool result follow in a user message.
 * - `maxTokens` → `options.num_predict`; temperature, top_p, top_k and stop → `options`.
 * - Reasoning → `think`: an effort `none` / `minimal` is `false`; `low` / `medium` / `high` is sent as that
 *   level; `xhigh` / `max` as `high`; a budget, or adaptive, as `true`.
 * - Tools → `tools` (OpenAI-style functions). Ollama has no tool choice: `none` sends no tools, a forced
 *   tool or `required` is sent as `auto` (warned); `parallelToolCalls` is ignored (warned when false).
 * - Documents: Ollama takes none. A plain-text document (or base64 text/*) is sent as text in the user
 *   message; any other (a PDF, a URL) is refused with a 400 naming it, since the request without it would ask
 *   something else.
 * - Structured output → `format`: `"json"` for json_object, the JSON Schema itself for json_schema (its name,
 *   description and strict flag have no Ollama form: the description is warned, the rest cannot matter).
 * - Fields of other dialects (`passthrough`, `raw`, `native`) are never sent. A request another dialect
 *   marked `requiresSameDialect` or `untranslatable` is refused with a 400 naming the field.
 */
import type {
  BuildRequestOptions,
  CanonicalMessage,
  CanonicalReasoning,
  CanonicalRequest,
  DocumentPart,
  ImagePart,
  ToolResultPart,
} from '@tokenpak/provider';
import { ProviderError, refuseUntranslatable } from '@tokenpak/provider';
import type { OllamaMessage, OllamaToolCall } from './wire-types.ts';

/** Adds a warning once, however many parts trigger it. */
function warn(warnings: string[], message: string): void {
  if (!warnings.includes(message)) warnings.push(message);
}

/** The base64 of an image; undefined (warned) for an image given by URL. */
function imageData(part: ImagePart, warnings: string[]): string | undefined {
  if (part.source.kind === 'base64') return part.source.data;
  warn(warnings, 'images given by URL are dropped: Ollama takes base64 images only');
  return undefined;
}

/** A text document's text; any other document is refused (Ollama reads no files). */
function documentText(part: DocumentPart): string {
  const { source } = part;
  if (source.kind === 'text') return source.text;
  if (source.kind === 'base64' && source.mediaType.toLowerCase().startsWith('text/')) {
    return new TextDecoder().decode(Uint8Array.from(atob(source.data), (c) => c.charCodeAt(0)));
  }
  const name = part.filename ?? part.title;
  const type = source.kind === 'base64' ? source.mediaType : source.url;
  throw new ProviderError({
    type: 'invalid_request',
    message:
      `the document ${name === undefined ? '' : `'${name}' `}(${type}) cannot be sent: Ollama takes no ` +
      'documents; without it the request would ask something else',
  });
}

/** The arguments text as the object Ollama wants. */
function argumentsObject(text: string, warnings: string[]): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Falls through to the warning.
  }
  warn(warnings, 'tool-call arguments that are not a JSON object are sent to Ollama as {}');
  return {};
}

function toolMessages(
  results: ToolResultPart[],
  toolNames: Map<string, string>,
  out: OllamaMessage[],
  warnings: string[],
): string[] {
  const images: string[] = [];
  for (const result of results) {
    const texts: string[] = [];
    for (const part of result.content) {
      if (part.type === 'text') texts.push(part.text);
      else {
        const data = imageData(part, warnings);
        if (data !== undefined) images.push(data);
      }
    }
    if (result.isError) warn(warnings, 'a tool result marked as an error is sent as a plain tool message');
    const message: OllamaMessage = { role: 'tool', content: texts.join('\n') };
    const name = toolNames.get(result.toolCallId);
    if (name !== undefined) message.tool_name = name;
    out.push(message);
  }
  if (images.length > 0) {
    warn(warnings, 'images in tool results are sent in a user message after the tool messages');
  }
  return images;
}

function convertMessage(
  message: CanonicalMessage,
  toolNames: Map<string, string>,
  out: OllamaMessage[],
  warnings: string[],
): void {
  if (message.role === 'system') {
    out.push({ role: 'system', content: message.content.map((part) => part.text).join('\n') });
    return;
  }
  if (message.role === 'user') {
    const results: ToolResultPart[] = [];
    const texts: string[] = [];
    const images: string[] = [];
    for (const part of message.content) {
      if (part.type === 'tool-result') results.push(part);
      else if (part.type === 'text') texts.push(part.text);
      else if (part.type === 'document') texts.push(documentText(part));
      else {
        const data = imageData(part, warnings);
        if (data !== undefined) images.push(data);
      }
    }
    // Tool messages must directly follow the assistant's tool calls, so they go first.
    images.unshift(...toolMessages(results, toolNames, out, warnings));
    if (texts.length > 0 || images.length > 0 || results.length === 0) {
      const user: OllamaMessage = { role: 'user', content: texts.join('\n') };
      if (images.length > 0) user.images = images;
      out.push(user);
    }
    return;
  }
  let content = '';
  let thinking = '';
  const calls: OllamaToolCall[] = [];
  for (const part of message.content) {
    if (part.type === 'text') content += part.text;
    else if (part.type === 'thinking') thinking += part.text;
    else if (part.type === 'tool-call') {
      toolNames.set(part.id, part.name);
      calls.push({ function: { name: part.name, arguments: argumentsObject(part.arguments, warnings) } });
    } else warn(warnings, 'redacted thinking is dropped: Ollama cannot take it back');
  }
  const wire: OllamaMessage = { role: 'assistant', content };
  if (thinking !== '') wire.thinking = thinking;
  if (calls.length > 0) wire.tool_calls = calls;
  out.push(wire);
}

/** Canonical reasoning → Ollama's `think` (undefined: not sent). */
export function ollamaThink(
  reasoning: CanonicalReasoning | undefined,
  warnings: string[],
): boolean | 'low' | 'medium' | 'high' | undefined {
  if (!reasoning) return undefined;
  const { effort } = reasoning;
  if (effort === 'none' || effort === 'minimal') return false;
  if (effort === 'low' || effort === 'medium' || effort === 'high') return effort;
  if (effort === 'xhigh' || effort === 'max') {
    warn(warnings, `the effort '${effort}' is sent to Ollama as think 'high', its highest`);
    return 'high';
  }
  if (reasoning.budgetTokens !== undefined) {
    warn(warnings, 'Ollama has no thinking budget: the budget is sent as think: true');
  }
  return true;
}

export function buildRequest(
  request: CanonicalRequest,
  options: BuildRequestOptions,
  warnings: string[] = [],
): Record<string, unknown> {
  refuseUntranslatable(request, 'ollama');
  const messages: OllamaMessage[] = [];
  if (request.system !== undefined) messages.push({ role: 'system', content: request.system });
  const toolNames = new Map<string, string>();
  for (const message of request.messages) convertMessage(message, toolNames, messages, warnings);
  const body: Record<string, unknown> = { model: options.model, messages, stream: options.stream };

  const choice = request.toolChoice;
  if (request.tools && request.tools.length > 0 && choice?.type !== 'none') {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description !== undefined && { description: tool.description }),
        parameters: tool.inputSchema,
      },
    }));
    if (choice?.type === 'tool' || choice?.type === 'required') {
      warn(warnings, 'Ollama cannot force a tool call: the tool choice is sent as auto');
    }
    if (request.parallelToolCalls === false) {
      warn(warnings, 'Ollama cannot limit a turn to one tool call: parallel_tool_calls is ignored');
    }
  }

  const sampling: Record<string, unknown> = {};
  if (request.maxTokens !== undefined) sampling.num_predict = request.maxTokens;
  if (request.temperature !== undefined) sampling.temperature = request.temperature;
  if (request.topP !== undefined) sampling.top_p = request.topP;
  if (request.topK !== undefined) sampling.top_k = request.topK;
  if (request.stopSequences && request.stopSequences.length > 0) sampling.stop = request.stopSequences;
  if (Object.keys(sampling).length > 0) body.options = sampling;

  const format = request.responseFormat;
  if (format?.type === 'json_object') body.format = 'json';
  else if (format?.type === 'json_schema') {
    body.format = format.schema;
    if (format.description !== undefined) {
      warn(warnings, "the response format's description is dropped: Ollama's format is the schema alone");
    }
  }

  const think = ollamaThink(request.reasoning, warnings);
  if (think !== undefined) body.think = think;
  if (request.userId !== undefined) warn(warnings, 'Ollama has no end-user id: user is dropped');
  if (Object.keys(request.passthrough).length > 0 && request.sourceDialect !== 'ollama') {
    warn(
      warnings,
      `fields with no Ollama equivalent are dropped: ${Object.keys(request.passthrough).join(', ')}`,
    );
  }
  return body;
}
