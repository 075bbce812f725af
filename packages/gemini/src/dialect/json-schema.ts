/**
 * A Gemini `Schema` (the OpenAPI 3.0 subset of `functionDeclarations[].parameters`) → JSON Schema, for the
 * canonical `inputSchema` every other upstream reads.
 *
 * - `type` is an enum in upper case on the wire (`OBJECT`, `STRING`, …, as the `@google/genai` SDK sends
 *   it): lower-cased. `TYPE_UNSPECIFIED` is left out.
 * - `nullable: true` becomes `null` in the type list (OpenAPI 3.0 has no `null` type).
 * - Gemini's own keys with no JSON Schema meaning (`propertyOrdering`) are left out; everything else
 *   (`properties`, `items`, `required`, `enum`, `format`, `description`, `anyOf`, bounds…) is kept, with
 *   nested schemas converted the same way.
 */
import { isObject, type Json } from './request-checks.ts';

const NESTED_MAPS = new Set(['properties', '$defs', 'definitions']);
const NESTED_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
const DROPPED = new Set(['nullable', 'propertyOrdering', 'property_ordering']);

export function schemaToJsonSchema(schema: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key)) continue;
    if (key === 'type' && typeof value === 'string') {
      const type = value.toLowerCase();
      if (type !== 'type_unspecified') out.type = schema.nullable === true ? [type, 'null'] : type;
    } else if (NESTED_MAPS.has(key) && isObject(value)) {
      const map: Json = {};
      for (const [name, inner] of Object.entries(value))
        map[name] = isObject(inner) ? schemaToJsonSchema(inner) : inner;
      out[key] = map;
    } else if (NESTED_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map((inner) => (isObject(inner) ? schemaToJsonSchema(inner) : inner));
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isObject(value)) {
      out[key] = schemaToJsonSchema(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}
