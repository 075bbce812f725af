/**
 * Structured output: Anthropic `output_config.format` (and the deprecated beta top-level `output_format`)
 * ⇄ the canonical `responseFormat`.
 *
 *   { type: 'json_schema', schema }  ⇄  { type: 'json_schema', schema }
 *
 * Anthropic has no JSON mode without a schema and no schema name, description or strict flag (its JSON
 * outputs always follow the schema). Built for another dialect's client:
 * - `json_object` is dropped with a warning (the request still asks for JSON in words: OpenAI refuses
 *   json_object unless the messages say "JSON"), `text` sends nothing;
 * - a json_schema's `description` is dropped with a warning, `name` and `strict` silently (a label, and a
 *   flag Anthropic always honours);
 * - every object schema that does not say otherwise gets `additionalProperties: false` (warned): Anthropic
 *   refuses object schemas without it, and OpenAI (non-strict) or Gemini schemas often leave it out.
 */
import type { CanonicalRequest, ResponseFormat } from '@tokenpak/provider';
import { isObject, type Json } from './request-checks.ts';

/** A format block Anthropic documents → canonical; undefined for anything else (kept in passthrough). */
export function parseOutputFormat(value: unknown): ResponseFormat | undefined {
  if (!isObject(value) || value.type !== 'json_schema' || !isObject(value.schema)) return undefined;
  return { type: 'json_schema', schema: value.schema };
}

/**
 * Reads `output_config.format` and `output_format` out of `passthrough` (where the other output_config keys
 * and unknown fields went) into the canonical format. The client's objects are copied, never changed.
 */
export function takeOutputFormat(passthrough: Record<string, unknown>): ResponseFormat | undefined {
  let format: ResponseFormat | undefined;
  const config = passthrough.output_config;
  if (isObject(config) && config.format !== undefined) {
    format = parseOutputFormat(config.format);
    if (format) {
      const { format: _format, ...rest } = config;
      if (Object.keys(rest).length > 0) passthrough.output_config = rest;
      else delete passthrough.output_config;
    }
  }
  const beta = parseOutputFormat(passthrough.output_format);
  if (beta) {
    format ??= beta;
    delete passthrough.output_format;
  }
  return format;
}

const NESTED_MAPS = ['properties', '$defs', 'definitions', 'patternProperties'];
const NESTED_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const NESTED_ONE = ['items', 'not', 'additionalProperties', 'contains'];

function isObjectSchema(schema: Json): boolean {
  const type = schema.type;
  return type === 'object' || (Array.isArray(type) && type.includes('object'));
}

/** The schema with `additionalProperties: false` on every object schema that does not set it. */
export function closeObjects(schema: Json, changed: { value: boolean }): Json {
  const out: Json = { ...schema };
  if (isObjectSchema(schema) && schema.additionalProperties === undefined) {
    out.additionalProperties = false;
    changed.value = true;
  }
  for (const key of NESTED_MAPS) {
    const map = schema[key];
    if (!isObject(map)) continue;
    const next: Json = {};
    for (const [name, inner] of Object.entries(map))
      next[name] = isObject(inner) ? closeObjects(inner, changed) : inner;
    out[key] = next;
  }
  for (const key of NESTED_LISTS) {
    const list = schema[key];
    if (Array.isArray(list))
      out[key] = list.map((inner) => (isObject(inner) ? closeObjects(inner, changed) : inner));
  }
  for (const key of NESTED_ONE) {
    const inner = schema[key];
    if (isObject(inner)) out[key] = closeObjects(inner, changed);
  }
  return out;
}

/** Canonical → the `output_config.format` block to send, or undefined (see the module comment). */
export function buildOutputFormat(
  request: CanonicalRequest,
  sameDialect: boolean,
  warnings: string[],
): Json | undefined {
  const format = request.responseFormat;
  if (format === undefined || format.type === 'text') return undefined;
  if (format.type === 'json_object') {
    warnings.push(
      'response_format json_object is dropped: Anthropic takes a JSON schema only (the prompt still asks for JSON)',
    );
    return undefined;
  }
  if (sameDialect) return { type: 'json_schema', schema: format.schema };
  if (format.description !== undefined) {
    warnings.push("the response format's description is dropped: Anthropic's output format has none");
  }
  const changed = { value: false };
  const schema = closeObjects(format.schema, changed);
  if (changed.value) {
    warnings.push(
      "additionalProperties: false was added to the response schema's objects (Anthropic requires it)",
    );
  }
  return { type: 'json_schema', schema };
}
