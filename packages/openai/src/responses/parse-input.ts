/**
 * The Responses `input` (a string, or an array of items) → canonical system prompt and messages.
 * https://platform.openai.com/docs/api-reference/responses/create#responses-create-input
 *
 * - `message` items (the `type` may be left out): `user` → a user turn; `assistant` → text in an assistant
 *   turn; `system` / `developer` → the system prompt (canonical messages have no system role: one after the
 *   conversation started joins the system prompt too, with a warning, as in the Chat Completions dialect).
 * - `function_call` → a tool call in the assistant turn (the canonical id is the `call_id`);
 *   `function_call_output` → a tool result; consecutive ones share one user turn.
 * - `reasoning` → a thinking part: the summary texts joined by a blank line, and `encrypted_content` as the
 *   signature (an opaque blob that must come back unchanged, as Anthropic's signature).
 * - Consecutive assistant items (reasoning, message, function calls) form one assistant turn.
 * - `input_file` in a user message: `file_data` (a data: URL) or `file_url` → a document part; a `file_id`
 *   names a file in OpenAI's store: the request is `untranslatable` (400 naming the field elsewhere).
 * - Anything canonical cannot carry (other item types such as `item_reference`, `web_search_call`,
 *   `custom_tool_call`; audio parts, files in function outputs; image `file_id`; item ids and statuses; the position of a
 *   late system message) makes the input "lossy": it is then kept verbatim in `request.native` and sent
 *   unchanged to a Responses upstream. Never refused; named in the warnings when another upstream loses it.
 */
import type {
  AssistantContentPart,
  CanonicalMessage,
  DocumentPart,
  ImagePart,
  TextPart,
  ToolResultPart,
  UserContentPart,
} from '@tokenpak/provider';
import { mediaTypeOfName, parseDataUrl } from '../chat/parse-messages.ts';
import { invalid, isRecord, optionalString } from '../chat/request-checks.ts';

export interface InputContext {
  warnings: string[];
  /** Something was lost: keep `input` verbatim for a Responses upstream. */
  lossy: boolean;
  /** The first part another dialect cannot be given (a `file_id`), naming its field. */
  untranslatable?: string;
}

export interface ParsedInput {
  system: string[];
  messages: CanonicalMessage[];
}

const MESSAGE_KEYS = new Set(['type', 'role', 'content']);
const OUTPUT_TEXT_KEYS = new Set(['type', 'text', 'annotations', 'logprobs']);
const IMAGE_KEYS = new Set(['type', 'image_url', 'detail']);
const FILE_KEYS = new Set(['type', 'file_data', 'file_url', 'filename']);
const CALL_KEYS = new Set(['type', 'call_id', 'name', 'arguments']);
const OUTPUT_KEYS = new Set(['type', 'call_id', 'output']);

function hasExtraKeys(value: Record<string, unknown>, known: ReadonlySet<string>): boolean {
  for (const key of Object.keys(value)) if (!known.has(key)) return true;
  return false;
}

/** Something only a Responses upstream can take: kept in `native`, dropped (and named) for others. */
function nativeOnly(ctx: InputContext, param: string, what: string): void {
  ctx.lossy = true;
  ctx.warnings.push(`${param}: ${what} is sent only to OpenAI Responses upstreams (dropped for others)`);
}

function textOf(part: Record<string, unknown>, param: string): TextPart {
  if (typeof part.text !== 'string') throw invalid(`${param}.text`, 'must be a string');
  return { type: 'text', text: part.text };
}

/** `input_image`: a URL (data: URLs become base64 sources); `file_id` images are Responses-only. */
function imageOf(part: Record<string, unknown>, param: string, ctx: InputContext): ImagePart | undefined {
  if (hasExtraKeys(part, IMAGE_KEYS) || (part.detail !== undefined && part.detail !== 'auto'))
    ctx.lossy = true;
  const url = part.image_url;
  if (url === undefined || url === null) {
    nativeOnly(ctx, param, 'an image given by file_id');
    return undefined;
  }
  if (typeof url !== 'string' || url.length === 0) throw invalid(`${param}.image_url`, 'must be a string');
  if (url.startsWith('data:')) {
    const comma = url.indexOf(',');
    const header = comma === -1 ? '' : url.slice(5, comma);
    if (header.endsWith(';base64')) {
      const mediaType = header.slice(0, -';base64'.length) || 'application/octet-stream';
      return { type: 'image', source: { kind: 'base64', mediaType, data: url.slice(comma + 1) } };
    }
  }
  return { type: 'image', source: { kind: 'url', url } };
}

/** `input_file`: inline data or a URL → a document part; a `file_id` only OpenAI can read (untranslatable). */
function fileOf(part: Record<string, unknown>, param: string, ctx: InputContext): DocumentPart | undefined {
  if (hasExtraKeys(part, FILE_KEYS)) ctx.lossy = true;
  const filename = optionalString(part.filename, `${param}.filename`);
  const data = optionalString(part.file_data, `${param}.file_data`);
  const url = optionalString(part.file_url, `${param}.file_url`);
  const named = filename ? { filename } : {};
  if (data) {
    const parsed = parseDataUrl(data);
    const source = parsed
      ? { kind: 'base64' as const, ...parsed }
      : { kind: 'base64' as const, mediaType: mediaTypeOfName(filename), data };
    return { type: 'document', source, ...named };
  }
  if (url) return { type: 'document', source: { kind: 'url', url }, ...named };
  const fileId = optionalString(part.file_id, `${param}.file_id`);
  if (!fileId) throw invalid(param, 'needs file_data, file_url or file_id');
  ctx.lossy = true;
  ctx.untranslatable ??= `${param}.file_id: '${fileId}' names a file in OpenAI's file store, which only an OpenAI Responses upstream can read`;
  return undefined;
}

/** The parts of a user message (`documents`), or of a function call's output (no documents: canonical tool
 * results hold text and images). */
function userParts(
  content: unknown,
  param: string,
  ctx: InputContext,
  documents = false,
): Array<TextPart | ImagePart | DocumentPart> {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalid(param, 'must be a string or an array of content parts');
  const out: Array<TextPart | ImagePart | DocumentPart> = [];
  content.forEach((part, k) => {
    const partParam = `${param}[${k}]`;
    if (!isRecord(part)) throw invalid(partParam, 'must be an object');
    if (part.type === 'input_text' || part.type === 'output_text' || part.type === 'text') {
      if (hasExtraKeys(part, OUTPUT_TEXT_KEYS)) ctx.lossy = true;
      out.push(textOf(part, partParam));
    } else if (part.type === 'input_image') {
      const image = imageOf(part, partParam, ctx);
      if (image) out.push(image);
    } else if (part.type === 'input_file' && documents) {
      const file = fileOf(part, partParam, ctx);
      if (file) out.push(file);
    } else nativeOnly(ctx, partParam, `a '${String(part.type)}' content part`);
  });
  return out;
}

function systemText(content: unknown, param: string, ctx: InputContext): string {
  const texts: string[] = [];
  for (const part of userParts(content, param, ctx)) {
    if (part.type === 'text') texts.push(part.text);
    else nativeOnly(ctx, param, 'an image in a system message');
  }
  return texts.join('\n');
}

function assistantParts(content: unknown, param: string, ctx: InputContext): AssistantContentPart[] {
  if (typeof content === 'string') return content.length > 0 ? [{ type: 'text', text: content }] : [];
  if (!Array.isArray(content)) throw invalid(param, 'must be a string or an array of content parts');
  const out: AssistantContentPart[] = [];
  content.forEach((part, k) => {
    const partParam = `${param}[${k}]`;
    if (!isRecord(part)) throw invalid(partParam, 'must be an object');
    if (part.type === 'output_text' || part.type === 'input_text' || part.type === 'text') {
      if (hasExtraKeys(part, OUTPUT_TEXT_KEYS)) ctx.lossy = true;
      out.push(textOf(part, partParam));
    } else if (part.type === 'refusal') {
      if (typeof part.refusal !== 'string') throw invalid(`${partParam}.refusal`, 'must be a string');
      ctx.warnings.push(`${partParam}: an earlier refusal is sent as text`);
      ctx.lossy = true;
      out.push({ type: 'text', text: part.refusal });
    } else nativeOnly(ctx, partParam, `a '${String(part.type)}' content part`);
  });
  return out;
}

function reasoningPart(
  item: Record<string, unknown>,
  param: string,
  ctx: InputContext,
): AssistantContentPart {
  // Ids, statuses and raw `content` never translate; the item itself is kept for a Responses upstream.
  ctx.lossy = true;
  const texts: string[] = [];
  if (Array.isArray(item.summary)) {
    item.summary.forEach((part, k) => {
      if (isRecord(part) && typeof part.text === 'string') texts.push(part.text);
      else throw invalid(`${param}.summary[${k}].text`, 'must be a string');
    });
  } else if (item.summary !== undefined && item.summary !== null) {
    throw invalid(`${param}.summary`, 'must be an array of summary parts');
  }
  const signature = optionalString(item.encrypted_content, `${param}.encrypted_content`);
  return { type: 'thinking', text: texts.join('\n\n'), ...(signature && { signature }) };
}

export function parseInput(value: unknown, ctx: InputContext): ParsedInput {
  const out: ParsedInput = { system: [], messages: [] };
  if (value === undefined || value === null) return out;
  if (typeof value === 'string') {
    out.messages.push({ role: 'user', content: [{ type: 'text', text: value }] });
    return out;
  }
  if (!Array.isArray(value)) throw invalid('input', 'must be a string or an array of input items');
  const { messages } = out;
  /** The assistant turn that collects consecutive assistant items. */
  let assistant: AssistantContentPart[] | undefined;
  /** The user turn that collects consecutive function outputs. */
  let results: ToolResultPart[] | undefined;

  const assistantTurn = (): AssistantContentPart[] => {
    if (!assistant) {
      assistant = [];
      messages.push({ role: 'assistant', content: assistant });
    }
    return assistant;
  };

  value.forEach((item, i) => {
    const param = `input[${i}]`;
    if (!isRecord(item)) throw invalid(param, 'must be an object');
    const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
    if (typeof type !== 'string') throw invalid(`${param}.type`, 'is required');
    if (type !== 'function_call_output') results = undefined;

    switch (type) {
      case 'message': {
        if (hasExtraKeys(item, MESSAGE_KEYS)) ctx.lossy = true;
        const role = item.role;
        if (role === 'assistant') {
          const parts = assistantParts(item.content, `${param}.content`, ctx);
          if (parts.length > 0) assistantTurn().push(...parts);
          return;
        }
        assistant = undefined;
        if (role === 'user') {
          const content: UserContentPart[] = userParts(item.content, `${param}.content`, ctx, true);
          messages.push({ role: 'user', content });
        } else if (role === 'system' || role === 'developer') {
          // The API keeps them in place; canonical has one system prompt. Kept in place for Responses.
          ctx.lossy = true;
          if (messages.length > 0) {
            ctx.warnings.push(
              `${param}: a ${role} message after the conversation started joins the system prompt ` +
                '(it stays in place only for OpenAI Responses upstreams)',
            );
          }
          out.system.push(systemText(item.content, `${param}.content`, ctx));
        } else {
          nativeOnly(ctx, `${param}.role`, `a '${String(role)}' message`);
        }
        return;
      }
      case 'function_call': {
        if (hasExtraKeys(item, CALL_KEYS)) ctx.lossy = true;
        const id = optionalString(item.call_id, `${param}.call_id`);
        const name = optionalString(item.name, `${param}.name`);
        if (!id) throw invalid(`${param}.call_id`, 'is required');
        if (!name) throw invalid(`${param}.name`, 'is required');
        const args = optionalString(item.arguments, `${param}.arguments`) ?? '';
        assistantTurn().push({ type: 'tool-call', id, name, arguments: args });
        return;
      }
      case 'reasoning':
        assistantTurn().push(reasoningPart(item, param, ctx));
        return;
      case 'function_call_output': {
        assistant = undefined;
        if (hasExtraKeys(item, OUTPUT_KEYS)) ctx.lossy = true;
        const toolCallId = optionalString(item.call_id, `${param}.call_id`);
        if (!toolCallId) throw invalid(`${param}.call_id`, 'is required');
        const part: ToolResultPart = {
          type: 'tool-result',
          toolCallId,
          content: userParts(item.output ?? '', `${param}.output`, ctx) as Array<TextPart | ImagePart>,
        };
        if (results) results.push(part);
        else {
          results = [part];
          messages.push({ role: 'user', content: results });
        }
        return;
      }
      default:
        assistant = undefined;
        nativeOnly(ctx, param, `a '${type}' item`);
        return;
    }
  });
  return out;
}
