/**
 * Gemini `contents` and `systemInstruction` → canonical messages and system prompt.
 *
 *   role user (or none, or the old `function`)  → a user turn; role model → an assistant turn
 *   { text }                                    → text
 *   { text, thought: true }                     → thinking (the thought summary)
 *   { thoughtSignature } on any model part      → a thinking part with no text and the signature, tagged
 *                                                 `gemini-ts:`, right before the part it came on: the Gemini
 *                                                 builder puts it back on that part; other builders drop it
 *   { inlineData } image/*                      → a base64 image
 *   { inlineData } application/pdf, text/*      → a base64 document (audio, video…: dropped, warned)
 *   { fileData } image/* at an http(s) URL      → an image URL; a PDF or text file → a document URL (Files API
 *                                                 and gs:// URIs only Gemini can read: dropped, warned)
 *   { functionCall: { name, args, id? } }       → a tool call; the id is Gemini's own, else `call_<turn>_<part>`
 *   { functionResponse: { name, response, id? } } → a tool result for the call of that id, else the first
 *                                                 unanswered call of that name (Gemini pairs by name and order)
 *   executableCode, codeExecutionResult, other parts → dropped, warned (only a Gemini upstream can read them)
 *
 * A role other than user / model / function is kept only for a Gemini upstream (`untranslatable`). The whole
 * body always goes to a Gemini upstream as sent (`raw`), so nothing here is lost for it.
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
import { field, invalid, isObject, type Json, optionalString } from './request-checks.ts';
import { REASONING_SIGNATURE_PREFIX } from './thought-signature.ts';

export interface ContentsContext {
  warnings: string[];
  /** The first thing no other dialect can be given without changing the request's meaning. */
  untranslatable?: string;
}

/** A call of an earlier model turn that no functionResponse has answered yet. */
interface OpenCall {
  id: string;
  name: string;
}

function geminiOnly(ctx: ContentsContext, path: string, what: string): void {
  ctx.warnings.push(`${path}: ${what} is sent only to Gemini upstreams (dropped for others)`);
}

function signed(signature: string): AssistantContentPart {
  return { type: 'thinking', text: '', signature: REASONING_SIGNATURE_PREFIX + signature };
}

/** The files other providers read as documents: PDFs and text. */
function isDocumentType(mimeType: string): boolean {
  const type = mimeType.toLowerCase();
  return type === 'application/pdf' || type.startsWith('text/');
}

function imageFromInline(
  part: Json,
  path: string,
  ctx: ContentsContext,
): ImagePart | DocumentPart | undefined {
  const data = field(part, 'inlineData');
  if (!isObject(data)) throw invalid(`${path}.inlineData`, 'must be an object');
  const mimeType = optionalString(field(data, 'mimeType'), `${path}.inlineData.mimeType`) ?? '';
  const bytes = optionalString(data.data, `${path}.inlineData.data`) ?? '';
  if (isDocumentType(mimeType)) {
    return { type: 'document', source: { kind: 'base64', mediaType: mimeType, data: bytes } };
  }
  if (!mimeType.startsWith('image/')) {
    geminiOnly(ctx, path, `inline data of type '${mimeType}'`);
    return undefined;
  }
  return { type: 'image', source: { kind: 'base64', mediaType: mimeType, data: bytes } };
}

/** A file is readable elsewhere only when it is an image at a public http(s) URL (not the Files API). */
function imageFromFile(part: Json, path: string, ctx: ContentsContext): ImagePart | DocumentPart | undefined {
  const data = field(part, 'fileData');
  if (!isObject(data)) throw invalid(`${path}.fileData`, 'must be an object');
  const uri = optionalString(field(data, 'fileUri'), `${path}.fileData.fileUri`) ?? '';
  const mimeType = optionalString(field(data, 'mimeType'), `${path}.fileData.mimeType`) ?? '';
  let host = '';
  try {
    const url = new URL(uri);
    host = url.protocol === 'http:' || url.protocol === 'https:' ? url.hostname : '';
  } catch {
    // Not a URL: only Gemini knows what it names.
  }
  const document = isDocumentType(mimeType);
  if ((!mimeType.startsWith('image/') && !document) || host === '' || host.endsWith('googleapis.com')) {
    geminiOnly(ctx, path, `the file '${uri}'`);
    return undefined;
  }
  if (document) return { type: 'document', source: { kind: 'url', url: uri, mediaType: mimeType } };
  return { type: 'image', source: { kind: 'url', url: uri } };
}

/** A functionResponse's `response` as tool-result text: `{result}` / `{output}` unwrapped, `{error}` an error. */
function resultContent(response: Json): { content: TextPart[]; isError?: boolean } {
  const keys = Object.keys(response);
  if (keys.length === 1) {
    const key = keys[0] as string;
    const value = response[key];
    if (key === 'error') {
      return {
        content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value) }],
        isError: true,
      };
    }
    if ((key === 'result' || key === 'output') && typeof value === 'string') {
      return { content: [{ type: 'text', text: value }] };
    }
  }
  return { content: [{ type: 'text', text: JSON.stringify(response) }] };
}

function modelParts(
  parts: unknown[],
  path: string,
  turn: number,
  open: OpenCall[],
  ctx: ContentsContext,
): AssistantContentPart[] {
  const out: AssistantContentPart[] = [];
  parts.forEach((value, k) => {
    const partPath = `${path}[${k}]`;
    if (!isObject(value)) throw invalid(partPath, 'must be an object');
    const signature = optionalString(field(value, 'thoughtSignature'), `${partPath}.thoughtSignature`);
    const call = field(value, 'functionCall');
    if (call !== undefined && call !== null) {
      if (!isObject(call)) throw invalid(`${partPath}.functionCall`, 'must be an object');
      const name = optionalString(call.name, `${partPath}.functionCall.name`);
      if (!name) throw invalid(`${partPath}.functionCall.name`, 'is required');
      const args = call.args ?? {};
      if (!isObject(args)) throw invalid(`${partPath}.functionCall.args`, 'must be an object');
      const id = optionalString(call.id, `${partPath}.functionCall.id`) || `call_${turn}_${k}`;
      if (signature) out.push(signed(signature));
      out.push({ type: 'tool-call', id, name, arguments: JSON.stringify(args) });
      open.push({ id, name });
      return;
    }
    if (value.text !== undefined && value.text !== null) {
      if (typeof value.text !== 'string') throw invalid(`${partPath}.text`, 'must be a string');
      if (value.thought === true) {
        out.push({
          type: 'thinking',
          text: value.text,
          ...(signature && { signature: REASONING_SIGNATURE_PREFIX + signature }),
        });
        return;
      }
      if (signature) out.push(signed(signature));
      if (value.text) out.push({ type: 'text', text: value.text });
      return;
    }
    if (signature) out.push(signed(signature));
    geminiOnly(ctx, partPath, `a '${partKind(value)}' part`);
  });
  return out;
}

function userParts(
  parts: unknown[],
  path: string,
  open: OpenCall[],
  ctx: ContentsContext,
): UserContentPart[] {
  const out: UserContentPart[] = [];
  parts.forEach((value, k) => {
    const partPath = `${path}[${k}]`;
    if (!isObject(value)) throw invalid(partPath, 'must be an object');
    if (value.text !== undefined && value.text !== null) {
      if (typeof value.text !== 'string') throw invalid(`${partPath}.text`, 'must be a string');
      if (value.text) out.push({ type: 'text', text: value.text });
      return;
    }
    if (field(value, 'inlineData') !== undefined) {
      const image = imageFromInline(value, partPath, ctx);
      if (image) out.push(image);
      return;
    }
    if (field(value, 'fileData') !== undefined) {
      const image = imageFromFile(value, partPath, ctx);
      if (image) out.push(image);
      return;
    }
    const response = field(value, 'functionResponse');
    if (response !== undefined && response !== null) {
      out.push(toolResult(response, `${partPath}.functionResponse`, open, ctx));
      return;
    }
    geminiOnly(ctx, partPath, `a '${partKind(value)}' part`);
  });
  return out;
}

function toolResult(value: unknown, path: string, open: OpenCall[], ctx: ContentsContext): ToolResultPart {
  if (!isObject(value)) throw invalid(path, 'must be an object');
  const name = optionalString(value.name, `${path}.name`);
  if (!name) throw invalid(`${path}.name`, 'is required');
  const id = optionalString(value.id, `${path}.id`);
  const response = value.response ?? {};
  if (!isObject(response)) throw invalid(`${path}.response`, 'must be an object');
  if (Array.isArray(value.parts) && value.parts.length > 0)
    geminiOnly(ctx, `${path}.parts`, 'a function response with parts');
  // Gemini pairs responses with calls by name and order; an id, when both sides have one, says it exactly.
  let at = id ? open.findIndex((call) => call.id === id) : -1;
  if (at === -1) at = open.findIndex((call) => call.name === name);
  const toolCallId = at === -1 ? (id ?? `call_${name}`) : (open[at] as OpenCall).id;
  if (at !== -1) open.splice(at, 1);
  return { type: 'tool-result', toolCallId, ...resultContent(response) };
}

/** The data field of a part, for a warning (`executableCode`, `codeExecutionResult`, …). */
function partKind(part: Json): string {
  for (const key of Object.keys(part)) {
    if (key !== 'thoughtSignature' && key !== 'thought_signature' && key !== 'thought') return key;
  }
  return 'empty';
}

export function parseContents(value: unknown, ctx: ContentsContext): CanonicalMessage[] {
  if (!Array.isArray(value)) throw invalid('contents', 'must be an array of contents');
  if (value.length === 0) throw invalid('contents', 'must hold at least one content');
  const messages: CanonicalMessage[] = [];
  const open: OpenCall[] = [];
  value.forEach((content, i) => {
    const path = `contents[${i}]`;
    if (!isObject(content)) throw invalid(path, 'must be an object');
    const role = content.role ?? 'user';
    if (typeof role !== 'string') throw invalid(`${path}.role`, "must be 'user' or 'model'");
    const parts = content.parts ?? [];
    if (!Array.isArray(parts)) throw invalid(`${path}.parts`, 'must be an array of parts');
    if (role === 'model') {
      const out = modelParts(parts, `${path}.parts`, i, open, ctx);
      if (out.length > 0) messages.push({ role: 'assistant', content: out });
    } else if (role === 'user' || role === 'function' || role === '') {
      const out = userParts(parts, `${path}.parts`, open, ctx);
      if (out.length > 0) messages.push({ role: 'user', content: out });
    } else {
      ctx.untranslatable ??= `${path}.role: '${role}' contents can only be sent to a Gemini upstream`;
    }
  });
  return messages;
}

/** `systemInstruction`: a content whose text parts join (blank line) into the system prompt. */
export function parseSystemInstruction(value: unknown, ctx: ContentsContext): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value || undefined;
  if (!isObject(value)) throw invalid('systemInstruction', 'must be a content');
  const parts = value.parts ?? [];
  if (!Array.isArray(parts)) throw invalid('systemInstruction.parts', 'must be an array of parts');
  const texts: string[] = [];
  parts.forEach((part, k) => {
    const path = `systemInstruction.parts[${k}]`;
    if (!isObject(part)) throw invalid(path, 'must be an object');
    if (typeof part.text === 'string') {
      if (part.text) texts.push(part.text);
    } else geminiOnly(ctx, path, `a '${partKind(part)}' part`);
  });
  return texts.length > 0 ? texts.join('\n\n') : undefined;
}
