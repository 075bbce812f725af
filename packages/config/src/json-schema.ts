import { toJsonSchema } from '@valibot/to-json-schema';
import { configSchema } from './schema/config.ts';

/**
 * The config's JSON Schema (draft-07), for editors:
 * `# yaml-language-server: $schema=./tokenpak.schema.json` at the top of config.yaml.
 * Cross-field rules (api_key per type, provider references) are checked by parseConfig only.
 */
export function configJsonSchema(): Record<string, unknown> {
  return toJsonSchema(configSchema, { errorMode: 'ignore' }) as Record<string, unknown>;
}
