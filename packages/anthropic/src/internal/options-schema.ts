/**
 * A strict options schema written by hand (a Standard Schema: no validation library for a few keys). Each
 * key of the entry that is neither common nor one of the type's options is an issue that lists the valid
 * options, with a did-you-mean for a near miss (`timout_ms`, `apii`).
 *
 * A copy of @tokenpak/openai's src/internal/options-schema.ts (and @tokenpak/mock's): keep them the same.
 */
import { COMMON_PROVIDER_KEYS, type StandardSchema, type StandardSchemaIssue } from '@tokenpak/provider';

/** Edit distance (insert, delete, substitute). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** The message for an unknown key of a `type: <type>` entry whose own options are `options`. */
export function unknownOptionMessage(type: string, key: string, options: readonly string[]): string {
  const common = COMMON_PROVIDER_KEYS.filter((k) => k !== 'type' && k !== 'package');
  const limit = Math.min(3, Math.max(1, Math.floor(key.length / 3)));
  let near: string | undefined;
  let best = limit + 1;
  for (const candidate of [...options, ...common]) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < best) [near, best] = [candidate, d];
  }
  // `latency` for `latency_ms`: the name without its unit.
  near ??= [...options, ...common].find((candidate) => candidate.startsWith(`${key}_`));
  const hint = near === undefined ? '' : ` (did you mean '${near}'?)`;
  const takes =
    options.length === 0
      ? `it takes only the common options: ${common.join(', ')}`
      : `its options: ${options.join(', ')}; and the common ones: ${common.join(', ')}`;
  return `is not an option of type ${type}${hint}; ${takes}`;
}

/**
 * A Standard Schema for a type's options: unknown keys are issues (`unknownKey` may give its own message,
 * e.g. for a known alias), then `check` adds issues for the values and returns the options with defaults.
 */
export function strictOptionsSchema<Options>(spec: {
  vendor: string;
  type: string;
  options: readonly string[];
  unknownKey?: (key: string) => string | undefined;
  check: (input: Record<string, unknown>, issues: StandardSchemaIssue[]) => Options;
}): StandardSchema<unknown, Options> {
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
          const message = spec.unknownKey?.(key) ?? unknownOptionMessage(spec.type, key, spec.options);
          issues.push({ path: [key], message });
        }
        const options = spec.check(record, issues);
        return issues.length > 0 ? { issues } : { value: options };
      },
    },
  };
}
