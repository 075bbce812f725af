/**
 * Canonical request → the Converse / ConverseStream body. The model and the stream flag are not in the body:
 * they are in the URL (`/model/{modelId}/converse` or `/converse-stream`, see provider.ts).
 *
 *   system (and mid-conversation system turns, appended)  → system: [{ text }]
 *   user / assistant turns                                → messages[] (consecutive turns of a role merged)
 *   text                                                  → { text } (empty text left out: Bedrock refuses it)
 *   image, base64 or data: URL                            → { image: { format, source: { bytes } } }
 *   document, base64 or text                              → { document: { format, name, source: { bytes } } } (format
 *                                                           from the media type, name from the file name or title);
 *                                                           by URL, or of a type Converse reads not: refused, 400
 *   assistant tool call                                   → { toolUse: { toolUseId, name, input } }
 *   tool result                                           → { toolResult: { toolUseId, content, status? } }, first in its turn
 *   thinking with a signature (not another's tagged one)  → { reasoningContent: { reasoningText: { text, signature } } }
 *   redacted thinking                                     → { reasoningContent: { redactedContent } }
 *   tools, toolChoice                                     → toolConfig { tools: [{ toolSpec }], toolChoice auto | any | tool }
 *   maxTokens, temperature, topP, stopSequences           → inferenceConfig
 *   responseFormat json_schema                            → outputConfig.textFormat { type: 'json_schema', structure:
 *                                                           { jsonSchema: { schema (JSON text), name?, description? } } }
 *   Claude only: reasoning → additionalModelRequestFields.thinking, topK → .top_k, and the matched stop
 *   sequence asked back (additionalModelResponseFieldPaths)
 *
 * What has no Converse equivalent is dropped and named in `warnings` (see the README).
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
import { ProviderError, refuseUntranslatable, signatureTag } from '@tokenpak/provider';
import { isClaude, takesToolResultStatus } from './model-family.ts';
import { wireToolUseId } from './tool-use-id.ts';
import type {
  BedrockContentBlock,
  BedrockDocumentBlock,
  BedrockImageBlock,
  BedrockMessage,
  BedrockToolResultContent,
} from './wire-types.ts';

/** Thinking budgets for an effort (as the anthropic dialect's; `none` / `minimal` send no thinking). */
const EFFORT_BUDGET = { low: 1024, medium: 4096, high: 16384, xhigh: 32768, max: 65536 } as const;
/** Claude's smallest thinking budget. */
const MIN_THINKING_BUDGET = 1024;

const IMAGE_FORMATS: Record<string, BedrockImageBlock['format']> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** Adds a warning once, however many parts trigger it. */
function warn(warnings: string[], message: string): void {
  if (!warnings.includes(message)) warnings.push(message);
}

function imageBlock(part: ImagePart, warnings: string[]): BedrockImageBlock | undefined {
  let mediaType: string;
  let data: string;
  if (part.source.kind === 'base64') {
    mediaType = part.source.mediaType;
    data = part.source.data;
  } else {
    const match = /^data:([^;,]+);base64,(.*)$/s.exec(part.source.url);
    if (!match) {
      warn(warnings, 'images given by URL are dropped: Converse takes image bytes only');
      return undefined;
    }
    mediaType = match[1] as string;
    data = match[2] as string;
  }
  const format = IMAGE_FORMATS[mediaType.toLowerCase()];
  if (!format) {
    warn(warnings, `images of type ${mediaType} are dropped: Converse takes png, jpeg, gif and webp`);
    return undefined;
  }
  return { format, source: { bytes: data } };
}

const DOCUMENT_FORMATS: Record<string, BedrockDocumentBlock['format']> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
};

function refuseDocument(part: DocumentPart, why: string): ProviderError {
  const name = part.filename ?? part.title;
  const type =
    part.source.kind === 'base64'
      ? part.source.mediaType
      : part.source.kind === 'url'
        ? part.source.url
        : 'text/plain';
  return new ProviderError({
    type: 'invalid_request',
    message: `the document ${name === undefined ? '' : `'${name}' `}(${type}) cannot be sent: ${why}; without it the request would ask something else`,
  });
}

/** A name Converse accepts (letters, digits, single spaces, hyphens, parentheses, brackets), unique in the request. */
function documentName(part: DocumentPart, names: Set<string>): string {
  const base =
    (part.filename ?? part.title ?? 'document')
      .replace(/\.[a-z0-9]+$/i, '')
      .replace(/[^a-zA-Z0-9\s\-()[\]]/g, '-')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200) || 'document';
  let name = base;
  for (let n = 2; names.has(name); n++) name = `${base} (${n})`;
  names.add(name);
  return name;
}

/** A canonical document → a Converse document block (an image file → an image block). */
function documentContent(part: DocumentPart, names: Set<string>, warnings: string[]): BedrockContentBlock {
  const { source } = part;
  if (source.kind === 'url') throw refuseDocument(part, 'Converse takes document bytes, not URLs');
  if (part.context !== undefined)
    warn(warnings, "a document's context is dropped: Converse documents have none");
  if (source.kind === 'text') {
    let binary = '';
    for (const byte of new TextEncoder().encode(source.text)) binary += String.fromCharCode(byte);
    const bytes = btoa(binary);
    return { document: { format: 'txt', name: documentName(part, names), source: { bytes } } };
  }
  const mediaType = source.mediaType.toLowerCase();
  if (mediaType.startsWith('image/')) {
    const image = imageBlock({ type: 'image', source }, warnings);
    if (image) return { image };
  }
  const format = DOCUMENT_FORMATS[mediaType];
  if (!format)
    throw refuseDocument(part, 'Converse reads pdf, csv, doc, docx, xls, xlsx, html, txt and md documents');
  return { document: { format, name: documentName(part, names), source: { bytes: source.data } } };
}

function toolInput(text: string, warnings: string[]): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    warn(warnings, 'tool-call arguments that are not JSON are sent to Bedrock as {}');
    return {};
  }
}

function toolResultBlock(part: ToolResultPart, model: string, warnings: string[]): BedrockContentBlock {
  const content: BedrockToolResultContent[] = [];
  for (const item of part.content) {
    if (item.type === 'text') {
      if (item.text) content.push({ text: item.text });
    } else {
      const image = imageBlock(item, warnings);
      if (image) content.push({ image });
    }
  }
  if (content.length === 0) {
    warn(warnings, "an empty tool result is sent as the text '(no output)': Bedrock refuses blank text");
    content.push({ text: '(no output)' });
  }
  const result: NonNullable<BedrockContentBlock['toolResult']> = {
    toolUseId: wireToolUseId(part.toolCallId),
    content,
  };
  if (part.isError) {
    if (takesToolResultStatus(model)) result.status = 'error';
    else warn(warnings, "a tool result's error status is dropped: only Claude and Nova models take it");
  }
  return { toolResult: result };
}

function userBlocks(
  parts: UserContentPart[],
  model: string,
  names: Set<string>,
  warnings: string[],
): BedrockContentBlock[] {
  // Tool results lead the turn that answers the tool calls (Claude requires it; others do not mind).
  const results: BedrockContentBlock[] = [];
  const rest: BedrockContentBlock[] = [];
  for (const part of parts) {
    if (part.type === 'tool-result') results.push(toolResultBlock(part, model, warnings));
    else if (part.type === 'text') {
      if (part.text) rest.push({ text: part.text });
    } else if (part.type === 'document') rest.push(documentContent(part, names, warnings));
    else {
      const image = imageBlock(part, warnings);
      if (image) rest.push({ image });
    }
  }
  return [...results, ...rest];
}

function assistantBlocks(parts: AssistantContentPart[], warnings: string[]): BedrockContentBlock[] {
  const out: BedrockContentBlock[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 'text':
        if (part.text) out.push({ text: part.text });
        break;
      case 'tool-call':
        out.push({
          toolUse: {
            toolUseId: wireToolUseId(part.id),
            name: part.name,
            input: toolInput(part.arguments, warnings),
          },
        });
        break;
      case 'thinking': {
        // Claude refuses reasoning it cannot verify: only signed reasoning goes back, and never a signature
        // another dialect tagged for its own provider (Gemini's `gemini-ts:…`), which Bedrock would refuse.
        const tag = part.signature === undefined ? undefined : signatureTag(part.signature);
        if (part.signature && tag === undefined) {
          out.push({ reasoningContent: { reasoningText: { text: part.text, signature: part.signature } } });
        } else if (tag !== undefined) {
          warn(warnings, `reasoning signed for another provider (${tag}) was left out of the history`);
        } else {
          warn(warnings, 'reasoning without a signature was left out of the history');
        }
        break;
      }
      case 'redacted-thinking':
        out.push({ reasoningContent: { redactedContent: part.data } });
        break;
    }
  }
  return out;
}

interface Thinking {
  /** additionalModelRequestFields.thinking, when thinking is asked for. */
  thinking?: Record<string, unknown>;
  /** maxTokens to send (raised above a budget when the request gave none). */
  maxTokens?: number;
}

/** Claude's thinking for the canonical reasoning, with max tokens that leave room for its budget. */
function claudeThinking(
  reasoning: CanonicalReasoning | undefined,
  maxTokens: number | undefined,
  defaultMaxTokens: number,
  warnings: string[],
): Thinking {
  if (!reasoning) return { maxTokens };
  let budget = reasoning.budgetTokens;
  const adaptive = reasoning.mode === 'adaptive' && budget === undefined;
  const effort = reasoning.effort;
  if (
    budget === undefined &&
    !adaptive &&
    effort !== undefined &&
    effort !== 'none' &&
    effort !== 'minimal'
  ) {
    budget = EFFORT_BUDGET[effort];
  }
  if (budget === 0) budget = undefined;
  if (adaptive) return { thinking: { type: 'adaptive' }, maxTokens };
  if (budget === undefined) return { maxTokens };
  if (maxTokens === undefined) {
    return { thinking: { type: 'enabled', budget_tokens: budget }, maxTokens: budget + defaultMaxTokens };
  }
  if (budget < maxTokens) return { thinking: { type: 'enabled', budget_tokens: budget }, maxTokens };
  if (maxTokens - 1 >= MIN_THINKING_BUDGET) {
    return { thinking: { type: 'enabled', budget_tokens: maxTokens - 1 }, maxTokens };
  }
  warn(warnings, `reasoning was not requested: max_tokens ${maxTokens} leaves no room for a thinking budget`);
  return { maxTokens };
}

export function buildRequest(
  request: CanonicalRequest,
  options: BuildRequestOptions,
  warnings: string[] = [],
): Record<string, unknown> {
  refuseUntranslatable(request, 'bedrock-converse');
  const model = options.model;
  const claude = isClaude(model);
  const system: string[] = request.system ? [request.system] : [];
  const messages: BedrockMessage[] = [];
  /** Names of the tools the conversation called (Bedrock wants them declared when tool blocks are sent). */
  const calledTools = new Set<string>();
  let hasToolBlocks = false;
  /** Document names already used (Converse wants them unique). */
  const documentNames = new Set<string>();

  for (const message of request.messages) {
    if (message.role === 'system') {
      const text = message.content.map((part) => part.text).join('');
      if (text) system.push(text);
      warn(warnings, 'a system turn in the conversation was moved to system (Converse has no system turns)');
      continue;
    }
    let content: BedrockContentBlock[];
    if (message.role === 'assistant') {
      for (const part of message.content) if (part.type === 'tool-call') calledTools.add(part.name);
      content = assistantBlocks(message.content, warnings);
    } else {
      content = userBlocks(message.content, model, documentNames, warnings);
    }
    if (content.some((block) => block.toolUse || block.toolResult)) hasToolBlocks = true;
    if (content.length === 0) continue;
    const last = messages.at(-1);
    if (last?.role === message.role) last.content.push(...content);
    else messages.push({ role: message.role, content });
  }

  const body: Record<string, unknown> = { messages };
  if (system.length > 0) body.system = system.map((text) => ({ text }));

  const tools = request.tools ?? [];
  const choice = request.toolChoice;
  if (tools.length > 0 && (choice?.type !== 'none' || hasToolBlocks)) {
    const toolConfig: Record<string, unknown> = {
      tools: tools.map((tool) => ({
        toolSpec: {
          name: tool.name,
          ...(tool.description !== undefined && { description: tool.description }),
          inputSchema: { json: tool.inputSchema },
        },
      })),
    };
    if (choice?.type === 'required') toolConfig.toolChoice = { any: {} };
    else if (choice?.type === 'tool') toolConfig.toolChoice = { tool: { name: choice.name } };
    else if (choice?.type === 'auto') toolConfig.toolChoice = { auto: {} };
    else if (choice?.type === 'none') {
      warn(
        warnings,
        'tool_choice none cannot be sent to Bedrock while the conversation has tool calls: tools stay available',
      );
    }
    if (tools.some((tool) => tool.strict))
      warn(warnings, 'tools[].strict is dropped: Converse has no strict mode');
    body.toolConfig = toolConfig;
  } else if (hasToolBlocks) {
    // Converse refuses toolUse / toolResult blocks without a toolConfig: declare the tools the history used.
    warn(
      warnings,
      'the conversation has tool calls but no tools: the called tools are declared with an open schema',
    );
    body.toolConfig = {
      tools: [...calledTools].map((name) => ({
        toolSpec: { name, inputSchema: { json: { type: 'object' } } },
      })),
    };
  }
  if (request.parallelToolCalls === false) {
    warn(warnings, 'parallel_tool_calls: false has no Converse equivalent; dropped');
  }

  const additional: Record<string, unknown> = {};
  let maxTokens = request.maxTokens;
  let temperature = request.temperature;
  let topP = request.topP;
  let topK = request.topK;
  if (claude) {
    const thinking = claudeThinking(request.reasoning, maxTokens, options.defaultMaxTokens, warnings);
    maxTokens = thinking.maxTokens;
    if (thinking.thinking) {
      additional.thinking = thinking.thinking;
      if (temperature !== undefined && temperature !== 1) {
        warn(warnings, 'temperature is not allowed with thinking; dropped');
        temperature = undefined;
      }
      if (topP !== undefined && topP < 0.95) {
        warn(warnings, 'top_p below 0.95 is not allowed with thinking; dropped');
        topP = undefined;
      }
      if (topK !== undefined) {
        warn(warnings, 'top_k is not allowed with thinking; dropped');
        topK = undefined;
      }
    }
    if (temperature !== undefined && temperature > 1) {
      warn(warnings, `temperature ${temperature} is above Claude's maximum; sent as 1`);
      temperature = 1;
    }
    if (topK !== undefined) additional.top_k = topK;
  } else {
    if (request.reasoning && request.reasoning.effort !== 'none') {
      warn(
        warnings,
        `reasoning settings are sent to Claude models only; dropped for ${model} (see additional_model_request_fields)`,
      );
    }
    if (topK !== undefined) warn(warnings, `top_k is sent to Claude models only; dropped for ${model}`);
  }

  const inference: Record<string, unknown> = {};
  if (maxTokens !== undefined) inference.maxTokens = maxTokens;
  if (temperature !== undefined) inference.temperature = temperature;
  if (topP !== undefined) inference.topP = topP;
  if (request.stopSequences && request.stopSequences.length > 0) {
    inference.stopSequences = request.stopSequences;
    // Claude can say which stop sequence matched, if asked: the finish event carries it.
    if (claude) body.additionalModelResponseFieldPaths = ['/stop_sequence'];
  }
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;
  if (Object.keys(additional).length > 0) body.additionalModelRequestFields = additional;

  const format = request.responseFormat;
  if (format?.type === 'json_schema') {
    body.outputConfig = {
      textFormat: {
        type: 'json_schema',
        structure: {
          jsonSchema: {
            // Converse takes the schema as JSON text, not as an object.
            schema: JSON.stringify(format.schema),
            ...(format.name !== undefined && { name: format.name }),
            ...(format.description !== undefined && { description: format.description }),
          },
        },
      },
    };
  } else if (format?.type === 'json_object') {
    warn(
      warnings,
      'response_format json_object is dropped: Converse takes a JSON schema only (the prompt still asks for JSON)',
    );
  }

  if (request.userId !== undefined) warn(warnings, 'user has no Converse equivalent; dropped');
  const dropped = Object.keys(request.passthrough);
  if (dropped.length > 0)
    warn(warnings, `fields with no Converse equivalent are dropped: ${dropped.join(', ')}`);
  return body;
}
