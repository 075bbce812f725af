/**
 * Canonical request → Gemini `GenerateContentRequest` body. The model and the stream flag are not in the
 * body: they are in the URL (see gemini-provider.ts). A Gemini client's own body (`raw`) is sent as is.
 *
 *   system                      → systemInstruction.parts[].text (mid-conversation system turns appended)
 *   user / assistant turns      → contents[] with role user / model (consecutive turns of a role merged)
 *   text, image                 → { text }, { inlineData } (base64) or { fileData } (URL)
 *   document                    → { inlineData } (base64), { fileData } (URL, MIME type from the part, else
 *                                 application/pdf), { text } (plain text); title / context dropped, warned
 *   assistant tool call         → { functionCall: { name, args }, thoughtSignature? } (signature from the id)
 *   tool result                 → { functionResponse: { name, response } } (name from the matching call)
 *   thinking with our signature → its signature on the next part of the turn (thought text is not sent back)
 *   tools                       → tools[0].functionDeclarations[] with parametersJsonSchema
 *   toolChoice                  → toolConfig.functionCallingConfig (AUTO / NONE / ANY, allowedFunctionNames)
 *   maxTokens, temperature, topP, topK, stopSequences, reasoning → generationConfig
 *   responseFormat              → generationConfig.responseMimeType application/json, with the schema as
 *                                 responseJsonSchema (full JSON Schema; responseSchema takes only an OpenAPI
 *                                 subset); a schema's name and strict flag have no Gemini form (always
 *                                 constrained), its description is dropped (warned)
 */
import type {
  AssistantContentPart,
  BuildRequestOptions,
  CanonicalReasoning,
  CanonicalRequest,
  DocumentPart,
  ImagePart,
  ToolResultPart,
  UserContentPart,
} from '@tokenpak/provider';
import { ProviderError, refuseUntranslatable } from '@tokenpak/provider';
import { GEMINI_DIALECT } from './dialect-name.ts';
import { decodeCallId, REASONING_SIGNATURE_PREFIX } from './thought-signature.ts';
import type { GeminiContent, GeminiPart } from './wire-types.ts';

const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
};

function imagePart(image: ImagePart): GeminiPart {
  const source = image.source;
  if (source.kind === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(source.url);
  if (match) return { inlineData: { mimeType: match[1] as string, data: match[2] as string } };
  const extension = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(source.url)?.[1]?.toLowerCase();
  return {
    fileData: { fileUri: source.url, mimeType: (extension && MIME_BY_EXTENSION[extension]) || 'image/jpeg' },
  };
}

function documentPart(document: DocumentPart, warnings: string[]): GeminiPart {
  for (const key of ['title', 'context'] as const) {
    const warning = `a document's ${key} is dropped: Gemini file parts have none`;
    if (document[key] !== undefined && !warnings.includes(warning)) warnings.push(warning);
  }
  const source = document.source;
  if (source.kind === 'text') return { text: source.text };
  if (source.kind === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  return { fileData: { fileUri: source.url, mimeType: source.mediaType ?? 'application/pdf' } };
}

function toolResponse(part: ToolResultPart, warnings: string[]): Record<string, unknown> {
  const text = part.content.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('');
  if (part.content.some((c) => c.type === 'image')) {
    warnings.push(`tool result ${part.toolCallId}: images are not sent to Gemini; dropped`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const key = part.isError ? 'error' : 'result';
  // A JSON object is the response itself; anything else is wrapped, as Gemini wants an object.
  if (value && typeof value === 'object' && !Array.isArray(value) && !part.isError)
    return value as Record<string, unknown>;
  return { [key]: value === undefined ? text : value };
}

function toolArgs(id: string, name: string, text: string, warnings: string[]): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // Reported below.
  }
  warnings.push(`tool call ${id} (${name}): arguments are not a JSON object; sent as {}`);
  return {};
}

function assistantParts(parts: AssistantContentPart[], warnings: string[]): GeminiPart[] {
  const out: GeminiPart[] = [];
  let pending: string | undefined;
  const push = (part: GeminiPart) => {
    if (pending && !part.thoughtSignature) part.thoughtSignature = pending;
    pending = undefined;
    out.push(part);
  };
  for (const part of parts) {
    switch (part.type) {
      case 'text':
        if (part.text) push({ text: part.text });
        break;
      case 'tool-call': {
        const { signature } = decodeCallId(part.id);
        push({
          functionCall: { name: part.name, args: toolArgs(part.id, part.name, part.arguments, warnings) },
          ...(signature && { thoughtSignature: signature }),
        });
        break;
      }
      case 'thinking':
        // Thought summaries are not input; only the signature goes back, on the part that follows.
        if (part.signature?.startsWith(REASONING_SIGNATURE_PREFIX)) {
          pending = part.signature.slice(REASONING_SIGNATURE_PREFIX.length);
        }
        break;
      case 'redacted-thinking':
        warnings.push('redacted reasoning has no Gemini equivalent; left out of the history');
        break;
    }
  }
  return out;
}

function userParts(parts: UserContentPart[], names: Map<string, string>, warnings: string[]): GeminiPart[] {
  const out: GeminiPart[] = [];
  for (const part of parts) {
    if (part.type === 'text') {
      if (part.text) out.push({ text: part.text });
    } else if (part.type === 'image') {
      out.push(imagePart(part));
    } else if (part.type === 'document') {
      out.push(documentPart(part, warnings));
    } else {
      const name = names.get(part.toolCallId) ?? names.get(decodeCallId(part.toolCallId).id);
      if (name === undefined) {
        throw new ProviderError({
          type: 'invalid_request',
          message: `tool result ${part.toolCallId} answers no tool call of an earlier assistant turn (Gemini needs the function's name)`,
        });
      }
      out.push({ functionResponse: { name, response: toolResponse(part, warnings) } });
    }
  }
  return out;
}

/** Budgets for an effort, for models that take a thinking budget (Gemini 2.5). */
const BUDGET: Record<string, number> = {
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 32768,
  max: 32768,
};
/** Levels for an effort, for models that take a thinking level (Gemini 3). */
const LEVEL: Record<string, string> = {
  minimal: 'low',
  low: 'low',
  medium: 'high',
  high: 'high',
  xhigh: 'high',
  max: 'high',
};

/** Canonical reasoning → thinkingConfig (always with includeThoughts, except when thinking is off). */
export function thinkingConfig(
  reasoning: CanonicalReasoning,
  model: string,
): Record<string, unknown> | undefined {
  if (reasoning.budgetTokens !== undefined) {
    return { thinkingBudget: reasoning.budgetTokens, includeThoughts: reasoning.budgetTokens !== 0 };
  }
  const effort = reasoning.effort;
  if (effort === 'none') return { thinkingBudget: 0 };
  if (effort) {
    return /gemini-3/.test(model)
      ? { thinkingLevel: LEVEL[effort], includeThoughts: true }
      : { thinkingBudget: BUDGET[effort], includeThoughts: true };
  }
  // adaptive: the model decides (Gemini's dynamic budget).
  if (reasoning.mode === 'adaptive') return { thinkingBudget: -1, includeThoughts: true };
  return undefined;
}

/**
 * A client that spoke Gemini itself: its body as sent (the model and the stream flag are in the URL, so
 * nothing in it changes). Unknown fields, parts, tools and safety settings reach Gemini unchanged.
 */
function fromRawBody(raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { ...raw };
}

export function buildRequest(
  request: CanonicalRequest,
  options: BuildRequestOptions,
  warnings: string[] = [],
): Record<string, unknown> {
  if (request.raw !== undefined && request.sourceDialect === GEMINI_DIALECT) return fromRawBody(request.raw);
  refuseUntranslatable(request, GEMINI_DIALECT);
  const body: Record<string, unknown> = {};
  const system: string[] = request.system ? [request.system] : [];
  const names = new Map<string, string>();
  const contents: GeminiContent[] = [];

  for (const message of request.messages) {
    let role: 'user' | 'model';
    let parts: GeminiPart[];
    if (message.role === 'system') {
      const text = message.content.map((p) => p.text).join('');
      if (text) system.push(text);
      warnings.push(
        'a system turn in the conversation was moved to systemInstruction (Gemini has no system turns)',
      );
      continue;
    }
    if (message.role === 'assistant') {
      for (const part of message.content) {
        if (part.type === 'tool-call') {
          names.set(part.id, part.name);
          names.set(decodeCallId(part.id).id, part.name);
        }
      }
      role = 'model';
      parts = assistantParts(message.content, warnings);
    } else {
      role = 'user';
      parts = userParts(message.content, names, warnings);
    }
    if (parts.length === 0) continue;
    const last = contents.at(-1);
    if (last?.role === role) last.parts?.push(...parts);
    else contents.push({ role, parts });
  }
  body.contents = contents;
  if (system.length > 0) body.systemInstruction = { parts: system.map((text) => ({ text })) };

  if (request.tools && request.tools.length > 0) {
    if (request.tools.some((t) => t.strict))
      warnings.push('tools[].strict is dropped: Gemini has no strict mode');
    body.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          ...(tool.description && { description: tool.description }),
          parametersJsonSchema: tool.inputSchema,
        })),
      },
    ];
  }
  const choice = request.toolChoice;
  if (choice) {
    const config: Record<string, unknown> =
      choice.type === 'none'
        ? { mode: 'NONE' }
        : choice.type === 'required'
          ? { mode: 'ANY' }
          : choice.type === 'tool'
            ? { mode: 'ANY', allowedFunctionNames: [choice.name] }
            : { mode: 'AUTO' };
    body.toolConfig = { functionCallingConfig: config };
  }
  if (request.parallelToolCalls === false) {
    warnings.push('parallel_tool_calls: false has no Gemini equivalent; dropped');
  }

  const generation: Record<string, unknown> = {};
  if (request.maxTokens !== undefined) generation.maxOutputTokens = request.maxTokens;
  if (request.temperature !== undefined) generation.temperature = request.temperature;
  if (request.topP !== undefined) generation.topP = request.topP;
  if (request.topK !== undefined) generation.topK = request.topK;
  if (request.stopSequences && request.stopSequences.length > 0)
    generation.stopSequences = request.stopSequences;
  if (request.reasoning) {
    const thinking = thinkingConfig(request.reasoning, options.model);
    if (thinking) generation.thinkingConfig = thinking;
  }
  const format = request.responseFormat;
  if (format !== undefined && format.type !== 'text') {
    generation.responseMimeType = 'application/json';
    if (format.type === 'json_schema') {
      generation.responseJsonSchema = format.schema;
      if (format.description !== undefined) {
        warnings.push("the response format's description is dropped: Gemini's response schema has none");
      }
    }
  }
  if (Object.keys(generation).length > 0) body.generationConfig = generation;

  if (request.userId !== undefined) warnings.push('user has no Gemini equivalent; dropped');
  for (const key in request.passthrough) warnings.push(`${key} has no Gemini equivalent; dropped`);
  return body;
}
