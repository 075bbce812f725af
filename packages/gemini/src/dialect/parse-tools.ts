/**
 * Gemini `tools` and `toolConfig` → canonical tools and tool choice.
 *
 *   tools[].functionDeclarations[]      → tools: `parametersJsonSchema` as given, or `parameters` (Gemini's
 *                                         OpenAPI schema) converted to JSON Schema; none → an empty object schema
 *   tools[].googleSearch, codeExecution, urlContext, … (server tools) → dropped for other upstreams, warned
 *   functionCallingConfig.mode AUTO / NONE → auto / none; ANY → required, or the one tool when
 *                                         `allowedFunctionNames` names one; VALIDATED → auto (warned)
 *   ANY when only server tools are declared → untranslatable (it would force a tool only Gemini runs)
 */
import type { CanonicalTool, ToolChoice } from '@tokenpak/provider';
import { schemaToJsonSchema } from './json-schema.ts';
import type { ContentsContext } from './parse-contents.ts';
import { camelKey, field, invalid, isObject, optionalString } from './request-checks.ts';

const DECLARATION_KEYS = new Set([
  'name',
  'description',
  'parameters',
  'parametersJsonSchema',
  'response',
  'responseJsonSchema',
]);
const EMPTY_SCHEMA = { type: 'object', properties: {} };

export interface ParsedTools {
  tools: CanonicalTool[];
  /** Names of the server tools (googleSearch, codeExecution…) only a Gemini upstream runs. */
  serverTools: string[];
}

function declaration(value: unknown, path: string, ctx: ContentsContext): CanonicalTool {
  if (!isObject(value)) throw invalid(path, 'must be an object');
  const name = optionalString(value.name, `${path}.name`);
  if (!name) throw invalid(`${path}.name`, 'is required');
  const description = optionalString(value.description, `${path}.description`);
  const jsonSchema = field(value, 'parametersJsonSchema');
  const parameters = value.parameters;
  let inputSchema: Record<string, unknown> = EMPTY_SCHEMA;
  if (jsonSchema !== undefined && jsonSchema !== null) {
    if (!isObject(jsonSchema)) throw invalid(`${path}.parametersJsonSchema`, 'must be an object');
    inputSchema = jsonSchema;
  } else if (parameters !== undefined && parameters !== null) {
    if (!isObject(parameters)) throw invalid(`${path}.parameters`, 'must be a schema object');
    inputSchema = schemaToJsonSchema(parameters);
  }
  for (const key of Object.keys(value)) {
    if (!DECLARATION_KEYS.has(camelKey(key)))
      ctx.warnings.push(`${path}.${key} is sent only to Gemini upstreams (dropped for others)`);
  }
  return { name, ...(description !== undefined && { description }), inputSchema };
}

export function parseTools(value: unknown, ctx: ContentsContext): ParsedTools {
  const out: ParsedTools = { tools: [], serverTools: [] };
  if (value === undefined || value === null) return out;
  if (!Array.isArray(value)) throw invalid('tools', 'must be an array of tools');
  value.forEach((tool, i) => {
    const path = `tools[${i}]`;
    if (!isObject(tool)) throw invalid(path, 'must be an object');
    for (const [key, entry] of Object.entries(tool)) {
      if (camelKey(key) === 'functionDeclarations') {
        if (!Array.isArray(entry))
          throw invalid(`${path}.${key}`, 'must be an array of function declarations');
        entry.forEach((item, k) => {
          out.tools.push(declaration(item, `${path}.${key}[${k}]`, ctx));
        });
      } else if (entry !== undefined && entry !== null) {
        out.serverTools.push(key);
        ctx.warnings.push(
          `${path}.${key}: the ${key} tool runs only on Gemini upstreams (dropped for others)`,
        );
      }
    }
  });
  return out;
}

export function parseToolConfig(
  value: unknown,
  parsed: ParsedTools,
  ctx: ContentsContext,
): ToolChoice | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw invalid('toolConfig', 'must be an object');
  for (const key of Object.keys(value)) {
    if (camelKey(key) !== 'functionCallingConfig')
      ctx.warnings.push(`toolConfig.${key} is sent only to Gemini upstreams (dropped for others)`);
  }
  const config = field(value, 'functionCallingConfig');
  if (config === undefined || config === null) return undefined;
  if (!isObject(config)) throw invalid('toolConfig.functionCallingConfig', 'must be an object');
  const path = 'toolConfig.functionCallingConfig';
  const mode = (optionalString(config.mode, `${path}.mode`) ?? 'MODE_UNSPECIFIED').toUpperCase();
  const names = field(config, 'allowedFunctionNames');
  if (
    names !== undefined &&
    names !== null &&
    (!Array.isArray(names) || names.some((n) => typeof n !== 'string'))
  )
    throw invalid(`${path}.allowedFunctionNames`, 'must be an array of function names');
  const allowed = (names as string[] | undefined) ?? [];
  if (allowed.length > 0 && mode !== 'ANY')
    ctx.warnings.push(`${path}.allowedFunctionNames applies only with mode ANY; dropped for other upstreams`);
  switch (mode) {
    case 'AUTO':
      return { type: 'auto' };
    case 'NONE':
      return { type: 'none' };
    case 'VALIDATED':
      ctx.warnings.push(`${path}.mode VALIDATED is sent as AUTO to other upstreams`);
      return { type: 'auto' };
    case 'ANY':
      if (parsed.tools.length === 0 && parsed.serverTools.length > 0) {
        ctx.untranslatable ??= `${path}.mode: ANY can only pick a server tool here (${parsed.serverTools.join(', ')}), which only a Gemini upstream can run`;
      }
      if (allowed.length === 1) return { type: 'tool', name: allowed[0] as string };
      if (allowed.length > 1)
        ctx.warnings.push(`${path}.allowedFunctionNames: other upstreams may call any declared function`);
      return { type: 'required' };
    case 'MODE_UNSPECIFIED':
      return undefined;
    default:
      throw invalid(`${path}.mode`, "must be 'AUTO', 'ANY', 'NONE' or 'VALIDATED'");
  }
}
