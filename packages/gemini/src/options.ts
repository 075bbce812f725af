/**
 * The options of `type: gemini` besides the common ones: a Standard Schema written by hand (no validation
 * library is needed for one option).
 */
import type { StandardSchema, StandardSchemaIssue } from '@tokenpak/provider';
import { unknownOptionMessage } from '@tokenpak/provider-utils';

export const API_VERSIONS = ['v1beta', 'v1', 'v1alpha'] as const;
export type GeminiApiVersion = (typeof API_VERSIONS)[number];

export interface GeminiOptions {
  /** The API version path segment added to a base_url that has none. Default `v1beta`. */
  api_version: GeminiApiVersion;
}

const OPTIONS: Record<keyof GeminiOptions, string> = { api_version: `one of ${API_VERSIONS.join(', ')}` };

export const optionsSchema: StandardSchema<unknown, GeminiOptions> = {
  '~standard': {
    version: 1,
    vendor: '@tokenpak/gemini',
    validate(value) {
      const input = (value ?? {}) as Record<string, unknown>;
      const issues: StandardSchemaIssue[] = [];
      if (typeof input !== 'object' || Array.isArray(input)) {
        return { issues: [{ message: 'the options must be an object' }] };
      }
      for (const key of Object.keys(input)) {
        if (!(key in OPTIONS)) {
          issues.push({
            path: [key],
            message: unknownOptionMessage(key, Object.keys(OPTIONS), 'gemini'),
          });
        }
      }
      const version = input.api_version ?? 'v1beta';
      if (!API_VERSIONS.includes(version as GeminiApiVersion)) {
        issues.push({
          path: ['api_version'],
          message: `must be ${OPTIONS.api_version} (got ${JSON.stringify(version)})`,
        });
      }
      if (issues.length > 0) return { issues };
      return { value: { api_version: version as GeminiApiVersion } };
    },
  },
};
