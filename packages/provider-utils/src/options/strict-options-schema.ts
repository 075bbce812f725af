/**
 * A strict options schema written by hand: a Standard Schema with no validation library, for a type with a
 * few options. Each key of the entry's options that is not one of `options` is an issue (`unknownOptionMessage`,
 * unless `unknownKey` words it, e.g. for a known alias such as Azure's `api-version`); then `check` adds the
 * issues of the values and returns the options with their defaults.
 */
import type { StandardSchema, StandardSchemaIssue } from '@tokenpak/provider';
import { unknownOptionMessage } from './unknown-option-message.ts';

export interface StrictOptionsSpec<Options> {
  /** The package, as the schema's vendor (`@tokenpak/openai`). */
  vendor: string;
  /** The provider type, for messages. */
  type: string;
  /** The type's own option names. */
  options: readonly string[];
  /** A message of its own for an unknown key (undefined: the common one). */
  unknownKey?: (key: string) => string | undefined;
  /** Adds issues for the values (path: the key) and returns the options with defaults. */
  check: (input: Record<string, unknown>, issues: StandardSchemaIssue[]) => Options;
}

export function strictOptionsSchema<Options>(
  spec: StrictOptionsSpec<Options>,
): StandardSchema<unknown, Options> {
  return {
    '~standard': {
      version: 1,
      vendor: spec.vendor,
      validate(value) {
        const input = value ?? {};
        if (typeof input !== 'object' || Array.isArray(input)) {
          return { issues: [{ message: 'the options must be a mapping' }] };
        }
        const record = input as Record<string, unknown>;
        const issues: StandardSchemaIssue[] = [];
        for (const key of Object.keys(record)) {
          if (spec.options.includes(key)) continue;
          const message = spec.unknownKey?.(key) ?? unknownOptionMessage(key, spec.options, spec.type);
          issues.push({ path: [key], message });
        }
        const options = spec.check(record, issues);
        return issues.length > 0 ? { issues } : { value: options };
      },
    },
  };
}
