/**
 * A Gemini client's `GenerateContentRequest` (POST `models/{model}:generateContent`,
 * `:streamGenerateContent`, `:countTokens`) → canonical request. The model and the stream flag are in the
 * URL (`target`, see target.ts); without a target, `model` is read from the body (`models/` prefix optional).
 *
 * - Never refused for being new: fields with no canonical meaning (`safetySettings`, `cachedContent`,
 *   `labels`, `generationConfig.seed`…) go to `passthrough` and are dropped, warned, by other
 *   builders; a Gemini upstream is always sent the body as sent (`raw`). 400s are for values Gemini itself
 *   would refuse (a functionCall without a name, `temperature: 3`…), each naming its path.
 * - `cachedContent` refers to a cache held by Google: `requiresSameDialect`, as are the generationConfig
 *   fields the canonical stream cannot carry (see parse-generation-config.ts).
 * - `:countTokens` takes `{contents}` or `{generateContentRequest: {…}}`: the inner request is read.
 */
import type { CanonicalRequest, ParsedRequest, RequestTarget } from '@tokenpak/provider';
import { GEMINI_DIALECT } from './dialect-name.ts';
import { type ContentsContext, parseContents, parseSystemInstruction } from './parse-contents.ts';
import { parseGenerationConfig } from './parse-generation-config.ts';
import { parseToolConfig, parseTools } from './parse-tools.ts';
import { camelKey, field, invalid, isObject, type Json, optionalString } from './request-checks.ts';
import { readTarget } from './target.ts';

const MAPPED = new Set(['model', 'contents', 'systemInstruction', 'tools', 'toolConfig', 'generationConfig']);

/** The model and stream flag: from the URL, else from the body. */
function routing(
  body: Json,
  target: RequestTarget | undefined,
): { model: string; stream: boolean; count: boolean } {
  const fromUrl = target ? readTarget(target) : undefined;
  if (fromUrl)
    return { model: fromUrl.model, stream: fromUrl.stream, count: fromUrl.operation === 'count-tokens' };
  const model = optionalString(body.model, 'model')?.replace(/^models\//, '');
  if (!model) throw invalid('model', 'is required (in the URL: models/{model}:generateContent)');
  return { model, stream: false, count: false };
}

/** For `:countTokens`: the request inside `generateContentRequest`, when the client sent one. */
function counted(body: Json, count: boolean): Json {
  if (!count) return body;
  const inner = field(body, 'generateContentRequest');
  return isObject(inner) ? inner : body;
}

export function parseRequest(body: unknown, target?: RequestTarget): ParsedRequest {
  if (!isObject(body)) throw invalid('body', 'must be a JSON object');
  const { model, stream, count } = routing(body, target);
  const request = counted(body, count);
  const warnings: string[] = [];
  const ctx: ContentsContext = { warnings };
  const messages = parseContents(request.contents, ctx);
  const system = parseSystemInstruction(field(request, 'systemInstruction'), ctx);
  const tools = parseTools(request.tools, ctx);
  const toolChoice = parseToolConfig(field(request, 'toolConfig'), tools, ctx);

  const passthrough: Json = {};
  const generation = parseGenerationConfig(field(request, 'generationConfig'), passthrough, warnings);
  for (const [key, value] of Object.entries(request)) {
    if (!MAPPED.has(camelKey(key)) && value !== undefined && value !== null)
      passthrough[camelKey(key)] = value;
  }
  const requiresSameDialect =
    passthrough.cachedContent !== undefined
      ? 'cachedContent refers to a context cache held by Gemini, which only a Gemini upstream can read'
      : generation.requiresSameDialect;

  const canonical: CanonicalRequest = {
    model,
    ...(system !== undefined && { system }),
    messages,
    ...(tools.tools.length > 0 && { tools: tools.tools }),
    ...(toolChoice !== undefined && { toolChoice }),
    ...(generation.maxTokens !== undefined && { maxTokens: generation.maxTokens }),
    ...(generation.temperature !== undefined && { temperature: generation.temperature }),
    ...(generation.topP !== undefined && { topP: generation.topP }),
    ...(generation.topK !== undefined && { topK: generation.topK }),
    ...(generation.stopSequences !== undefined && { stopSequences: generation.stopSequences }),
    stream,
    ...(generation.reasoning !== undefined && { reasoning: generation.reasoning }),
    ...(generation.responseFormat !== undefined && { responseFormat: generation.responseFormat }),
    sourceDialect: GEMINI_DIALECT,
    passthrough,
    ...(requiresSameDialect !== undefined && { requiresSameDialect }),
    ...(ctx.untranslatable !== undefined && { untranslatable: ctx.untranslatable }),
    raw: body,
  };
  return { request: canonical, warnings };
}

/** See `Dialect.parseRawRequest`: the model and stream flag from the URL, and the body for Gemini to judge. */
export function parseRawRequest(body: unknown, target?: RequestTarget): CanonicalRequest {
  if (!isObject(body)) throw invalid('body', 'must be a JSON object');
  const { model, stream } = routing(body, target);
  return {
    model,
    messages: [],
    stream,
    sourceDialect: GEMINI_DIALECT,
    passthrough: {},
    untranslatable: 'this request is forwarded as sent: only a Gemini upstream can read it',
    raw: body,
  };
}
