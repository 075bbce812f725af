/**
 * A provider package's options, checked by its `optionsSchema` (a Standard Schema): the entry's own keys,
 * without the ones every provider entry has. Used by the registry before `create`, and by
 * `tokenpak validate-config` to report each issue at its line and column.
 */
import { COMMON_PROVIDER_KEYS, type ProviderConfigEntry, type StandardSchema } from '@tokenpak/provider';

/** Keys of every provider entry, validated by @tokenpak/config: not a package's options. */
export { COMMON_PROVIDER_KEYS };

/** One problem with an option: the keys leading to it inside `providers.<name>` (empty for the whole entry). */
export interface ProviderOptionIssue {
  path: Array<string | number>;
  message: string;
}

export type ProviderOptionsResult =
  | { ok: true; options: Record<string, unknown> }
  | { ok: false; issues: ProviderOptionIssue[] };

/** The package-specific keys of a provider entry. */
export function providerOptions(entry: Record<string, unknown>): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (!COMMON_PROVIDER_KEYS.includes(key)) options[key] = value;
  }
  return options;
}

/** Runs the schema on the entry's options. Resolves to the validated options (with defaults) or the issues. */
export async function validateProviderOptions(
  schema: StandardSchema,
  entry: Record<string, unknown> | ProviderConfigEntry,
): Promise<ProviderOptionsResult> {
  const result = await schema['~standard'].validate(providerOptions(entry));
  if (result.issues) {
    return {
      ok: false,
      issues: result.issues.map((issue) => ({
        path: (issue.path ?? []).map((segment) => {
          const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
          return typeof key === 'number' ? key : String(key);
        }),
        message: issue.message,
      })),
    };
  }
  const value = result.value;
  return {
    ok: true,
    options: value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {},
  };
}

/** `providers.<name>.<key>…` for an issue, keys with dots or spaces bracketed: `providers.x["a.b"]`. */
export function optionPath(provider: string, path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const key of ['providers', provider, ...path]) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (!/^[^.[\]"'\s]+$/.test(key)) out += `[${JSON.stringify(key)}]`;
    else out += out === '' ? key : `.${key}`;
  }
  return out;
}
