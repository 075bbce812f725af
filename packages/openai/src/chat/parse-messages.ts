/**
 * OpenAI `messages` → canonical system prompt and messages.
 * - `system` and `developer` messages before the first turn join (blank line between) into the system prompt;
 *   later ones stay at their position as canonical `system` turns.
 * - `tool` messages become tool-result parts; consecutive ones share one user turn.
 * - assistant `tool_calls` become tool-call parts; `reasoning_content` / `reasoning` become a thinking part.
 * - `file` parts with `file_data` (a `data:` URL) become document parts; a `file_id` names a file in OpenAI's
 *   store, which no other provider can read: the request is `untranslatable` (400 naming the field elsewhere).
 * https://platform.openai.com/docs/api-reference/chat/create#chat-create-messages
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
import { invalid, isRecord, optionalString } from './request-checks.ts';

export interface ParsedMessages {
  system?: string;
  messages: CanonicalMessage[];
  /** The first part another dialect cannot be given (a `file_id`), naming its field. */
  untranslatable?: string;
}

/** Per-parse state the content parsers share. */
interface Context {
  warnings: string[];
  untranslatable?: string;
}

/** `data:application/pdf;base64,JVBER…` → its media type and base64 data; undefined for anything else. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  const header = comma === -1 ? '' : url.slice(5, comma);
  if (!header.endsWith(';base64')) return undefined;
  return {
    mediaType: header.slice(0, -';base64'.length) || 'application/octet-stream',
    data: url.slice(comma + 1),
  };
}

const MEDIA_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  html: 'text/html',
  json: 'application/json',
};

/** A media type for bare base64 file data, from the file name (OpenAI reads PDFs: the default). */
export function mediaTypeOfName(filename: string | undefined): string {
  const extension = filename ? /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() : undefined;
  return (extension && MEDIA_BY_EXTENSION[extension]) || 'application/pdf';
}

/** `{type: 'file', file: {filename, file_data}}` → a document part; `file_id` → untranslatable, no part. */
function parseFile(part: Record<string, unknown>, param: string, ctx: Context): DocumentPart | undefined {
  const file = part.file;
  if (!isRecord(file)) throw invalid(`${param}.file`, 'must be an object');
  const filename = optionalString(file.filename, `${param}.file.filename`);
  const data = optionalString(file.file_data, `${param}.file.file_data`);
  const fileId = optionalString(file.file_id, `${param}.file.file_id`);
  if (data) {
    const parsed = parseDataUrl(data);
    const source = parsed
      ? { kind: 'base64' as const, ...parsed }
      : { kind: 'base64' as const, mediaType: mediaTypeOfName(filename), data };
    return { type: 'document', source, ...(filename && { filename }) };
  }
  if (fileId) {
    ctx.untranslatable ??= `${param}.file.file_id: '${fileId}' names a file in OpenAI's file store, which only an OpenAI-dialect upstream can read`;
    return undefined;
  }
  throw invalid(`${param}.file`, 'needs file_data or file_id');
}

/** `data:image/png;base64,iVBOR…` → base64 source; any other URL stays a URL. */
function parseImage(part: Record<string, unknown>, param: string, warnings: string[]): ImagePart {
  const image = part.image_url;
  const url = typeof image === 'string' ? image : isRecord(image) ? image.url : undefined;
  if (typeof url !== 'string' || url.length === 0)
    throw invalid(`${param}.image_url.url`, 'must be a string');
  if (isRecord(image) && image.detail !== undefined && image.detail !== null && image.detail !== 'auto') {
    warnings.push(`${param}.image_url.detail is ignored`);
  }
  if (url.startsWith('data:')) {
    const comma = url.indexOf(',');
    const header = comma === -1 ? '' : url.slice(5, comma);
    if (!header.endsWith(';base64'))
      throw invalid(`${param}.image_url.url`, 'data: URLs must be base64-encoded');
    const mediaType = header.slice(0, -';base64'.length) || 'application/octet-stream';
    return { type: 'image', source: { kind: 'base64', mediaType, data: url.slice(comma + 1) } };
  }
  return { type: 'image', source: { kind: 'url', url } };
}

function parseTextPart(part: Record<string, unknown>, param: string): TextPart {
  if (typeof part.text !== 'string') throw invalid(`${param}.text`, 'must be a string');
  return { type: 'text', text: part.text };
}

/** Content that may only hold text (system, developer, tool): a string or an array of text parts. */
function textParts(content: unknown, param: string): TextPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalid(param, 'must be a string or an array of content parts');
  return content.map((part, k) => {
    const partParam = `${param}[${k}]`;
    if (!isRecord(part) || part.type !== 'text') throw invalid(`${partParam}.type`, "must be 'text'");
    return parseTextPart(part, partParam);
  });
}

function userContent(content: unknown, param: string, ctx: Context): UserContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalid(param, 'must be a string or an array of content parts');
  const out: UserContentPart[] = [];
  content.forEach((part, k) => {
    const partParam = `${param}[${k}]`;
    if (!isRecord(part)) throw invalid(partParam, 'must be an object');
    if (part.type === 'text') out.push(parseTextPart(part, partParam));
    else if (part.type === 'image_url') out.push(parseImage(part, partParam, ctx.warnings));
    else if (part.type === 'file') {
      const document = parseFile(part, partParam, ctx);
      if (document) out.push(document);
    } else {
      throw invalid(
        `${partParam}.type`,
        `'${String(part.type)}' content is not supported by TokenPak (text, image_url and file are)`,
      );
    }
  });
  return out;
}

function assistantContent(message: Record<string, unknown>, param: string, warnings: string[]) {
  const out: AssistantContentPart[] = [];
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === 'string' && reasoning.length > 0) out.push({ type: 'thinking', text: reasoning });
  const content = message.content;
  if (typeof content === 'string') {
    if (content.length > 0) out.push({ type: 'text', text: content });
  } else if (Array.isArray(content)) {
    content.forEach((part, k) => {
      const partParam = `${param}.content[${k}]`;
      if (!isRecord(part)) throw invalid(partParam, 'must be an object');
      if (part.type === 'text') out.push(parseTextPart(part, partParam));
      else if (part.type === 'refusal' && typeof part.refusal === 'string') {
        warnings.push(`${partParam}: an earlier refusal is sent as text`);
        out.push({ type: 'text', text: part.refusal });
      } else throw invalid(`${partParam}.type`, "must be 'text' or 'refusal'");
    });
  } else if (content !== undefined && content !== null) {
    throw invalid(`${param}.content`, 'must be a string, an array of content parts, or null');
  }
  if (typeof message.refusal === 'string' && message.refusal.length > 0) {
    warnings.push(`${param}.refusal: an earlier refusal is sent as text`);
    out.push({ type: 'text', text: message.refusal });
  }
  const toolCalls = message.tool_calls;
  if (Array.isArray(toolCalls)) {
    toolCalls.forEach((call, k) => {
      const callParam = `${param}.tool_calls[${k}]`;
      if (!isRecord(call) || !isRecord(call.function))
        throw invalid(`${callParam}.function`, 'must be an object');
      if (call.type !== undefined && call.type !== 'function')
        throw invalid(`${callParam}.type`, "must be 'function'");
      const id = optionalString(call.id, `${callParam}.id`);
      const name = optionalString(call.function.name, `${callParam}.function.name`);
      if (!id) throw invalid(`${callParam}.id`, 'is required');
      if (!name) throw invalid(`${callParam}.function.name`, 'is required');
      const args = optionalString(call.function.arguments, `${callParam}.function.arguments`) ?? '';
      out.push({ type: 'tool-call', id, name, arguments: args });
    });
  } else if (toolCalls !== undefined && toolCalls !== null) {
    throw invalid(`${param}.tool_calls`, 'must be an array');
  }
  if (isRecord(message.function_call) && typeof message.function_call.name === 'string') {
    // The deprecated single function call has no id; tool messages cannot answer it, `function` ones could.
    warnings.push(`${param}.function_call is deprecated: sent as a tool call`);
    const args = message.function_call.arguments;
    out.push({
      type: 'tool-call',
      id: `call_${param.replace(/\D/g, '')}`,
      name: message.function_call.name,
      arguments: typeof args === 'string' ? args : '',
    });
  }
  return out;
}

export function parseMessages(value: unknown, warnings: string[]): ParsedMessages {
  if (!Array.isArray(value) || value.length === 0) throw invalid('messages', 'must be a non-empty array');
  const system: string[] = [];
  const messages: CanonicalMessage[] = [];
  const ctx: Context = { warnings };
  /** The user turn that collects consecutive tool results. */
  let toolTurn: ToolResultPart[] | undefined;
  value.forEach((message, i) => {
    const param = `messages[${i}]`;
    if (!isRecord(message)) throw invalid(param, 'must be an object');
    const role = message.role;
    if (message.name !== undefined && message.name !== null && role !== 'tool') {
      warnings.push(`${param}.name is ignored`);
    }
    if (role !== 'tool') toolTurn = undefined;
    switch (role) {
      case 'system':
      case 'developer': {
        const text = textParts(message.content, `${param}.content`)
          .map((part) => part.text)
          .join('\n');
        // Before the first turn: the system prompt. After it: instructions at their position.
        if (messages.length > 0) messages.push({ role: 'system', content: [{ type: 'text', text }] });
        else system.push(text);
        return;
      }
      case 'user':
        messages.push({ role: 'user', content: userContent(message.content, `${param}.content`, ctx) });
        return;
      case 'assistant':
        messages.push({ role: 'assistant', content: assistantContent(message, param, warnings) });
        return;
      case 'tool': {
        const toolCallId = optionalString(message.tool_call_id, `${param}.tool_call_id`);
        if (!toolCallId) throw invalid(`${param}.tool_call_id`, 'is required');
        const part: ToolResultPart = {
          type: 'tool-result',
          toolCallId,
          content: textParts(message.content ?? '', `${param}.content`),
        };
        if (toolTurn) toolTurn.push(part);
        else {
          toolTurn = [part];
          messages.push({ role: 'user', content: toolTurn });
        }
        return;
      }
      case 'function':
        throw invalid(`${param}.role`, "'function' messages are deprecated and not supported: use tools");
      default:
        throw invalid(`${param}.role`, 'must be one of system, developer, user, assistant, tool');
    }
  });
  const out: ParsedMessages = { messages };
  if (system.length > 0) out.system = system.join('\n\n');
  if (ctx.untranslatable !== undefined) out.untranslatable = ctx.untranslatable;
  return out;
}
