/**
 * Structured output, both OpenAI dialects: Chat `response_format` and Responses `text.format` ⇄ the canonical
 * `responseFormat`.
 *
 *   Chat       { type: 'json_schema', json_schema: { name, description?, schema, strict? } }
 *   Responses  { type: 'json_schema', name, description?, schema, strict? }   (flat, inside `text.format`)
 *   both       { type: 'json_object' }, { type: 'text' }
 *
 * A json_schema without a schema asks for any JSON: canonical `json_object`. A `type` this module does not
 * know returns undefined: the caller keeps the field in `passthrough` (same-dialect only, named elsewhere).
 * Built for OpenAI, a schema without a name (Anthropic, Gemini, Converse have none) is named `response`, as
 * the API requires one; `strict` is sent only when the client set it (other dialects' schemas rarely meet
 * strict mode's rules).
 */
import type { ResponseFormat } from '@tokenpak/provider';
import { invalid, isRecord, optionalBoolean, optionalString } from './request-checks.ts';

/** The name OpenAI requires, for a schema from a dialect that has none. */
export const DEFAULT_SCHEMA_NAME = 'response';

/** The inner json_schema object (Chat's `json_schema`, or the Responses format itself) → canonical. */
function jsonSchemaFormat(inner: Record<string, unknown>, param: string): ResponseFormat {
  const schema = inner.schema;
  if (schema === undefined || schema === null) return { type: 'json_object' };
  if (!isRecord(schema)) throw invalid(`${param}.schema`, 'must be a JSON Schema object');
  const out: ResponseFormat = { type: 'json_schema', schema };
  const name = optionalString(inner.name, `${param}.name`);
  if (name) out.name = name;
  const description = optionalString(inner.description, `${param}.description`);
  if (description !== undefined) out.description = description;
  const strict = optionalBoolean(inner.strict, `${param}.strict`);
  if (strict !== undefined) out.strict = strict;
  return out;
}

/**
 * A format object (`response_format`, or `text.format` when `flat`) → canonical; undefined for a type this
 * module does not know.
 */
export function parseResponseFormat(
  value: unknown,
  param: string,
  flat: boolean,
): ResponseFormat | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw invalid(param, 'must be an object');
  switch (value.type) {
    case 'text':
      return { type: 'text' };
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema': {
      if (flat) return jsonSchemaFormat(value, param);
      if (!isRecord(value.json_schema)) throw invalid(`${param}.json_schema`, 'must be an object');
      return jsonSchemaFormat(value.json_schema, `${param}.json_schema`);
    }
    default:
      if (typeof value.type !== 'string') throw invalid(`${param}.type`, 'is required');
      return undefined;
  }
}

function schemaFields(format: ResponseFormat & { type: 'json_schema' }): Record<string, unknown> {
  return {
    name: format.name ?? DEFAULT_SCHEMA_NAME,
    ...(format.description !== undefined && { description: format.description }),
    schema: format.schema,
    ...(format.strict !== undefined && { strict: format.strict }),
  };
}

/** Canonical → Chat `response_format`; undefined for `text`, the default. */
export function chatResponseFormat(format: ResponseFormat | undefined): Record<string, unknown> | undefined {
  if (format === undefined || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  return { type: 'json_schema', json_schema: schemaFields(format) };
}

/** Canonical → Responses `text.format`; undefined for `text`, the default. */
export function responsesTextFormat(format: ResponseFormat | undefined): Record<string, unknown> | undefined {
  if (format === undefined || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  return { type: 'json_schema', ...schemaFields(format) };
}
