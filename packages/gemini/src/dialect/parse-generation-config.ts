/**
 * Gemini `generationConfig` → canonical sampling and reasoning fields.
 *
 *   maxOutputTokens, temperature, topP, topK, stopSequences → the canonical fields
 *   thinkingConfig.thinkingBudget N > 0 → reasoning.budgetTokens; 0 → effort none; -1 → mode adaptive
 *   thinkingConfig.thinkingLevel minimal / low / medium / high → reasoning.effort
 *   candidateCount > 1, responseLogprobs, responseModalities other than TEXT → `requiresSameDialect`: the
 *     canonical stream carries one text candidate, so only a Gemini upstream (bytes forwarded) can serve them
 *   responseMimeType application/json → responseFormat: json_schema with responseJsonSchema (JSON Schema
 *     already) or responseSchema (Gemini's OpenAPI subset, converted by json-schema.ts), else json_object
 *   other MIME types (text/x.enum…), or a schema without application/json, are kept for a Gemini upstream
 *     and dropped (warned) for others, as is every other field (seed, penalties, speechConfig…)
 *
 * The fields kept for a Gemini upstream only are named in `passthrough` as `generationConfig.<field>`: that
 * is what other builders name in their warnings.
 */
import type { CanonicalReasoning, ReasoningEffort, ResponseFormat } from '@tokenpak/provider';
import { schemaToJsonSchema } from './json-schema.ts';
import {
  camelKey,
  field,
  invalid,
  isObject,
  type Json,
  optionalInteger,
  optionalNumber,
  optionalString,
} from './request-checks.ts';

export interface GenerationFields {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
  reasoning?: CanonicalReasoning;
  responseFormat?: ResponseFormat;
  requiresSameDialect?: string;
}

const FORMAT_KEYS = new Set(['responseMimeType', 'responseSchema', 'responseJsonSchema']);

/** application/json with its schema, if any → canonical; undefined for any other MIME type. */
function parseResponseFormat(config: Json): ResponseFormat | undefined {
  const mime = optionalString(field(config, 'responseMimeType'), 'generationConfig.responseMimeType');
  if (mime?.toLowerCase() !== 'application/json') return undefined;
  const jsonSchema = field(config, 'responseJsonSchema');
  if (jsonSchema !== undefined && jsonSchema !== null) {
    if (!isObject(jsonSchema)) throw invalid('generationConfig.responseJsonSchema', 'must be an object');
    return { type: 'json_schema', schema: jsonSchema };
  }
  const schema = field(config, 'responseSchema');
  if (schema !== undefined && schema !== null) {
    if (!isObject(schema)) throw invalid('generationConfig.responseSchema', 'must be an object');
    return { type: 'json_schema', schema: schemaToJsonSchema(schema) };
  }
  return { type: 'json_object' };
}

const MAPPED = new Set([
  'maxOutputTokens',
  'temperature',
  'topP',
  'topK',
  'stopSequences',
  'candidateCount',
  'thinkingConfig',
]);
const LEVELS = new Set<string>(['minimal', 'low', 'medium', 'high']);
const THINKING_KEYS = new Set(['thinkingBudget', 'thinkingLevel', 'includeThoughts']);

function parseThinking(
  value: unknown,
  passthrough: Json,
  warnings: string[],
): CanonicalReasoning | undefined {
  const path = 'generationConfig.thinkingConfig';
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw invalid(path, 'must be an object');
  const reasoning: CanonicalReasoning = {};
  const budget = optionalInteger(field(value, 'thinkingBudget'), `${path}.thinkingBudget`, -1);
  if (budget === 0) reasoning.effort = 'none';
  else if (budget === -1) reasoning.mode = 'adaptive';
  else if (budget !== undefined) reasoning.budgetTokens = budget;
  const level = optionalString(field(value, 'thinkingLevel'), `${path}.thinkingLevel`)?.toLowerCase();
  if (level !== undefined && level !== 'thinking_level_unspecified') {
    if (LEVELS.has(level)) reasoning.effort = level as ReasoningEffort;
    else {
      passthrough[path] = value;
      warnings.push(`${path}.thinkingLevel '${level}' is sent only to Gemini upstreams (dropped for others)`);
    }
  }
  for (const key of Object.keys(value)) {
    if (!THINKING_KEYS.has(camelKey(key)))
      warnings.push(`${path}.${key} is sent only to Gemini upstreams (dropped for others)`);
  }
  return Object.keys(reasoning).length > 0 ? reasoning : undefined;
}

function parseStopSequences(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalid('generationConfig.stopSequences', 'must be an array of strings');
  return value.map((item, i) => {
    if (typeof item !== 'string') throw invalid(`generationConfig.stopSequences[${i}]`, 'must be a string');
    return item;
  });
}

/** Why the request needs a Gemini upstream, or undefined. */
function sameDialectReason(config: Json): string | undefined {
  const candidates = optionalInteger(field(config, 'candidateCount'), 'generationConfig.candidateCount', 1);
  if (candidates !== undefined && candidates > 1) {
    return 'generationConfig.candidateCount > 1 asks for several candidates, which only a Gemini upstream can stream';
  }
  if (field(config, 'responseLogprobs') === true) {
    return 'generationConfig.responseLogprobs asks for log probabilities, which only a Gemini upstream can stream';
  }
  const modalities = field(config, 'responseModalities');
  if (Array.isArray(modalities) && modalities.some((m) => String(m).toUpperCase() !== 'TEXT')) {
    return `generationConfig.responseModalities ${JSON.stringify(modalities)} asks for output only a Gemini upstream can stream`;
  }
  return undefined;
}

export function parseGenerationConfig(
  value: unknown,
  passthrough: Json,
  warnings: string[],
): GenerationFields {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw invalid('generationConfig', 'must be an object');
  const out: GenerationFields = {};
  const path = 'generationConfig';
  const maxTokens = optionalInteger(field(value, 'maxOutputTokens'), `${path}.maxOutputTokens`, 1);
  if (maxTokens !== undefined) out.maxTokens = maxTokens;
  const temperature = optionalNumber(value.temperature, `${path}.temperature`, 0, 2);
  if (temperature !== undefined) out.temperature = temperature;
  const topP = optionalNumber(field(value, 'topP'), `${path}.topP`, 0, 1);
  if (topP !== undefined) out.topP = topP;
  const topK = optionalNumber(field(value, 'topK'), `${path}.topK`, 0);
  if (topK !== undefined) out.topK = Math.round(topK);
  const stop = parseStopSequences(field(value, 'stopSequences'));
  if (stop !== undefined && stop.length > 0) out.stopSequences = stop;
  const reasoning = parseThinking(field(value, 'thinkingConfig'), passthrough, warnings);
  if (reasoning) out.reasoning = reasoning;
  const reason = sameDialectReason(value);
  if (reason) out.requiresSameDialect = reason;
  const format = parseResponseFormat(value);
  if (format) out.responseFormat = format;
  for (const [key, entry] of Object.entries(value)) {
    const name = camelKey(key);
    if (MAPPED.has(name) || entry === undefined || entry === null) continue;
    if (format && FORMAT_KEYS.has(name)) continue;
    // text/plain is the default: asking for it changes nothing anywhere.
    if (name === 'responseMimeType' && entry === 'text/plain') continue;
    passthrough[`${path}.${name}`] = entry;
  }
  return out;
}
