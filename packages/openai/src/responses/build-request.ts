/**
 * Canonical request → the Responses body sent upstream (`POST /v1/responses`).
 * https://platform.openai.com/docs/api-reference/responses/create
 *
 * Decisions (each dropped thing is named in `warnings`):
 * - Same dialect (a Responses client): `native` input and tools and `passthrough` are re-applied verbatim,
 *   so nothing the client sent is lost (reasoning items, hosted tools, item ids, unknown fields).
 * - The system prompt is `instructions`. Tool results become `function_call_output` items placed before the
 *   rest of their user turn (they answer the calls just made); images in a result go in its `output` array.
 * - Assistant turns keep their order: reasoning items, `message` items (`output_text`), `function_call` items.
 *   Reasoning goes back only when it came from a Responses client and carries its `encrypted_content` (the
 *   canonical signature); other reasoning and redacted reasoning are dropped (OpenAI cannot verify them), and
 *   so is reasoning whose signature another dialect tagged for its own provider (`gemini-ts:…`), even from a
 *   Responses client's raw input.
 * - Function tools without `strict` are sent `strict: false` for other dialects' clients (the Responses API
 *   would otherwise hold their schemas to strict mode and refuse most of them).
 * - `max_output_tokens` below OpenAI's minimum of 16 is raised to 16 for other dialects' clients.
 * - Reasoning as for Chat Completions (`openaiEffort`): an effort as is (`max` → `xhigh`), a budget (Anthropic)
 *   becomes an effort (< 2048 tokens low, < 8192 medium, else high), adaptive alone sends none.
 * - A request another dialect marked `requiresSameDialect` or `untranslatable` is refused with a 400.
 * - `top_k` and stop sequences have no Responses parameter: dropped.
 * - Documents → `input_file` with `file_data` (a data: URL) and a file name, or `file_url`; plain-text
 *   documents → `input_text` (../chat/document.ts).
 * - Structured output → `text.format` (../chat/response-format.ts); a Responses client's other `text` keys
 *   (`verbosity`) join it from `passthrough`.
 */
import type {
  AssistantContentPart,
  BuildRequestOptions,
  CanonicalMessage,
  CanonicalRequest,
  DocumentPart,
  ImagePart,
  TextPart,
  ToolChoice,
  ToolResultPart,
} from '@tokenpak/provider';
import { refuseUntranslatable, signatureTag } from '@tokenpak/provider';
import { openaiEffort } from '../chat/build-request.ts';
import { documentDataUrl, documentFilename, warnDocumentLabels } from '../chat/document.ts';
import { responsesTextFormat } from '../chat/response-format.ts';
import { RESPONSES_DIALECT } from './parse-request.ts';

type Item = Record<string, unknown>;

const MIN_OUTPUT_TOKENS = 16;
/** Passthrough fields that replace what the builder derived from canonical (they say more). */
const OVERRIDES = new Set(['tool_choice', 'reasoning']);

function isItem(value: unknown): value is Item {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function warn(warnings: string[], message: string): void {
  if (!warnings.includes(message)) warnings.push(message);
}

function imageUrl(part: ImagePart): string {
  const { source } = part;
  return source.kind === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

function inputFile(part: DocumentPart, warnings: string[]): Item {
  warnDocumentLabels(part, warnings);
  const { source } = part;
  if (source.kind === 'text') return { type: 'input_text', text: source.text };
  if (source.kind === 'url') {
    return { type: 'input_file', ...(part.filename && { filename: part.filename }), file_url: source.url };
  }
  return {
    type: 'input_file',
    filename: documentFilename(part),
    file_data: documentDataUrl({ ...part, source }),
  };
}

function inputParts(parts: Array<TextPart | ImagePart | DocumentPart>, warnings: string[]): Item[] {
  return parts.map((part) =>
    part.type === 'text'
      ? { type: 'input_text', text: part.text }
      : part.type === 'image'
        ? { type: 'input_image', image_url: imageUrl(part), detail: 'auto' }
        : inputFile(part, warnings),
  );
}

function resultOutput(result: ToolResultPart): string | Item[] {
  if (result.content.every((part) => part.type === 'text')) {
    return result.content.map((part) => (part as TextPart).text).join('\n');
  }
  return inputParts(result.content, []);
}

function userItems(message: CanonicalMessage & { role: 'user' }, out: Item[], warnings: string[]): void {
  const rest: Array<TextPart | ImagePart | DocumentPart> = [];
  for (const part of message.content) {
    if (part.type !== 'tool-result') {
      rest.push(part);
      continue;
    }
    if (part.isError)
      warn(warnings, 'a tool result marked as an error is sent as a plain function_call_output');
    out.push({ type: 'function_call_output', call_id: part.toolCallId, output: resultOutput(part) });
  }
  if (rest.length > 0) out.push({ type: 'message', role: 'user', content: inputParts(rest, warnings) });
}

function assistantItems(
  parts: AssistantContentPart[],
  sameDialect: boolean,
  out: Item[],
  warnings: string[],
): void {
  let texts: string[] = [];
  const flushText = (): void => {
    if (texts.length === 0) return;
    out.push({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: texts.join('') }],
    });
    texts = [];
  };
  for (const part of parts) {
    if (part.type === 'text') {
      if (part.text.length > 0) texts.push(part.text);
      continue;
    }
    flushText();
    if (part.type === 'tool-call') {
      out.push({
        type: 'function_call',
        call_id: part.id,
        name: part.name,
        arguments: part.arguments || '{}',
      });
    } else if (part.type === 'thinking' && part.signature && signatureTag(part.signature) !== undefined) {
      // Minted for another provider (Gemini's `gemini-ts:`): OpenAI would refuse it as encrypted_content.
      warn(warnings, foreignSignatureWarning(signatureTag(part.signature) as string));
    } else if (part.type === 'thinking' && sameDialect && part.signature) {
      const summary = part.text ? [{ type: 'summary_text', text: part.text }] : [];
      out.push({ type: 'reasoning', summary, encrypted_content: part.signature });
    } else {
      warn(warnings, `${part.type} parts of assistant messages are dropped: OpenAI cannot take them back`);
    }
  }
  flushText();
}

function foreignSignatureWarning(tag: string): string {
  return `reasoning signed for another provider (${tag}) was left out of the input`;
}

/**
 * A Responses client's input without the reasoning items whose `encrypted_content` was minted for another
 * provider (a conversation that went through a Gemini model): the same array when there are none.
 */
function withoutForeignReasoning(input: unknown, warnings: string[]): unknown {
  if (!Array.isArray(input)) return input;
  const foreign = (item: unknown): string | undefined => {
    if (typeof item !== 'object' || item === null) return undefined;
    const { type, encrypted_content: signature } = item as Record<string, unknown>;
    return type === 'reasoning' && typeof signature === 'string' ? signatureTag(signature) : undefined;
  };
  if (!input.some((item) => foreign(item) !== undefined)) return input;
  return input.filter((item) => {
    const tag = foreign(item);
    if (tag !== undefined) warn(warnings, foreignSignatureWarning(tag));
    return tag === undefined;
  });
}

function wireToolChoice(choice: ToolChoice): unknown {
  return choice.type === 'tool' ? { type: 'function', name: choice.name } : choice.type;
}

/**
 * A client that spoke the Responses API itself: its body as sent, with only the model and the stream flag
 * set. Unknown fields, items, roles and tool types reach the upstream unchanged.
 */
function fromRawBody(
  raw: Readonly<Record<string, unknown>>,
  options: BuildRequestOptions,
  warnings: string[],
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...raw, model: options.model, stream: options.stream };
  const input = withoutForeignReasoning(raw.input, warnings);
  if (input !== raw.input) body.input = input;
  return body;
}

export function buildRequest(
  request: CanonicalRequest,
  options: BuildRequestOptions,
  warnings: string[] = [],
): Record<string, unknown> {
  if (request.raw !== undefined && request.sourceDialect === RESPONSES_DIALECT) {
    return fromRawBody(request.raw, options, warnings);
  }
  const sameDialect = request.sourceDialect === RESPONSES_DIALECT;
  refuseUntranslatable(request, RESPONSES_DIALECT);
  const native = sameDialect && request.native?.dialect === RESPONSES_DIALECT ? request.native : undefined;
  const body: Record<string, unknown> = { model: options.model };

  if (native?.messages !== undefined) {
    if (native.system !== undefined) body.instructions = native.system;
    body.input = withoutForeignReasoning(native.messages, warnings);
  } else {
    if (request.system !== undefined) body.instructions = request.system;
    const input: Item[] = [];
    for (const message of request.messages) {
      if (message.role === 'user') userItems(message, input, warnings);
      else if (message.role === 'system') {
        // Instructions given mid-conversation stay at their position, as a developer message.
        input.push({
          type: 'message',
          role: 'developer',
          content: message.content.map((part) => ({ type: 'input_text', text: part.text })),
        });
      } else assistantItems(message.content, sameDialect, input, warnings);
    }
    body.input = input;
  }

  if (native?.tools !== undefined) body.tools = native.tools;
  else if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => {
      const out: Item = { type: 'function', name: tool.name };
      if (tool.description !== undefined) out.description = tool.description;
      out.parameters = tool.inputSchema;
      if (tool.strict !== undefined) out.strict = tool.strict;
      else if (!sameDialect) out.strict = false;
      return out;
    });
  }
  if (Array.isArray(body.tools) && body.tools.length > 0) {
    if (request.toolChoice) body.tool_choice = wireToolChoice(request.toolChoice);
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  } else if (request.toolChoice?.type === 'required' || request.toolChoice?.type === 'tool') {
    warn(warnings, 'tool_choice is dropped: there are no tools to choose from');
  }

  if (request.maxTokens !== undefined) {
    if (!sameDialect && request.maxTokens < MIN_OUTPUT_TOKENS) {
      warn(warnings, `max_output_tokens is raised to ${MIN_OUTPUT_TOKENS}, OpenAI's minimum`);
      body.max_output_tokens = MIN_OUTPUT_TOKENS;
    } else body.max_output_tokens = request.maxTokens;
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.topK !== undefined) warn(warnings, 'top_k is dropped: the Responses API has no such parameter');
  if (request.stopSequences && request.stopSequences.length > 0) {
    warn(warnings, 'stop sequences are dropped: the Responses API has no stop parameter');
  }
  if (request.userId !== undefined) body.user = request.userId;
  const effort = openaiEffort(request.reasoning, 'reasoning.effort', warnings);
  if (effort !== undefined) body.reasoning = { effort };
  const format = responsesTextFormat(request.responseFormat);
  if (format !== undefined) body.text = { format };

  const passthrough = request.passthrough;
  const keys = Object.keys(passthrough);
  if (sameDialect) {
    for (const key of keys) {
      if (key === 'text' && isItem(body.text) && isItem(passthrough.text)) {
        body.text = { ...passthrough.text, ...body.text };
      } else if (key !== 'stream' && (!(key in body) || OVERRIDES.has(key))) body[key] = passthrough[key];
    }
  } else if (keys.length > 0) {
    warn(warnings, `dropped (no Responses equivalent): ${keys.join(', ')}`);
  }
  // Conversation state: a Responses client's own, for a Responses upstream that keeps it.
  if (sameDialect && request.previousResponseId !== undefined) {
    body.previous_response_id = request.previousResponseId;
  }
  if (sameDialect && request.store !== undefined) body.store = request.store;
  body.stream = options.stream;
  return body;
}
