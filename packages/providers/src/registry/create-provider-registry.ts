/**
 * The provider registry: one Provider per `providers.<name>` entry, built once per app (each HTTP provider
 * owns its connection pool). Two registries share nothing.
 */
import { anthropicPackage } from '@tokenpak/anthropic';
import bedrock from '@tokenpak/bedrock';
import gemini from '@tokenpak/gemini';
import { mockPackage } from '@tokenpak/mock';
import ollama from '@tokenpak/ollama';
import { azurePackage, openaiCompatiblePackage, openaiPackage } from '@tokenpak/openai';
import type {
  Provider,
  ProviderConfigEntry,
  ProviderFactory,
  ProviderPackage,
  StandardSchema,
} from '@tokenpak/provider';
import { checkProvider } from './check-provider.ts';
import { type ImportModule, loadProviderPackage } from './load-provider-package.ts';
import { optionPath, validateProviderOptions } from './provider-options.ts';
import { ProviderSetupError } from './provider-setup-error.ts';

export interface ProviderRegistry {
  get(name: string): Provider | undefined;
  /** Provider names in config order. */
  names(): string[];
  entries(): Array<[name: string, provider: Provider]>;
  /** Closes every provider (connection pools); safe to call twice. */
  close(): Promise<void>;
}

export interface ProviderRegistryOptions {
  /** How to import a provider package (tests inject one); defaults to `import()`. */
  importModule?: ImportModule;
  /** Directory that relative `package:` paths and package names resolve from (the config file's folder). */
  baseDir?: string;
}

/**
 * The built-in provider types, each a provider package `{ type, optionsSchema, create }`: an entry's options
 * are checked (and defaulted) by the schema before `create`, the same way for every type, and
 * `tokenpak validate-config` reports their issues at their line and column.
 */
export const builtinProviderPackages: Readonly<Record<string, ProviderPackage<any>>> = {
  openai: openaiPackage,
  anthropic: anthropicPackage,
  'openai-compatible': openaiCompatiblePackage,
  azure: azurePackage,
  mock: mockPackage,
  gemini,
  ollama,
  bedrock,
};

/** Where a provider comes from, for messages: a built-in type, or a package loaded by `type: custom`. */
type Origin = { builtin: true; type: string } | { builtin: false; specifier: string };

async function createOne(name: string, config: ProviderConfigEntry, options: ProviderRegistryOptions) {
  if (Object.hasOwn(builtinProviderPackages, config.type)) {
    const pkg = builtinProviderPackages[config.type] as ProviderPackage<any>;
    return createFromPackage(name, config, pkg, { builtin: true, type: config.type });
  }
  if (config.type !== 'custom') {
    throw new ProviderSetupError(
      name,
      `providers.${name}.type "${config.type}" is not a provider type (built-in: ${Object.keys(builtinProviderPackages).join(', ')}; ` +
        'for a provider package use type: custom with package: <package name or path>)',
    );
  }
  const specifier = config.package;
  if (typeof specifier !== 'string' || specifier === '') {
    throw new ProviderSetupError(
      name,
      `providers.${name}.package is required for type custom (a package name such as @acme/tokenpak-provider-x, or a path)`,
    );
  }
  const pkg = await loadProviderPackage(
    name,
    specifier,
    options.baseDir ?? process.cwd(),
    options.importModule,
  );
  return createFromPackage(name, config, pkg, { builtin: false, specifier });
}

/** A provider from a package: its options checked by its schema, then `create`, then the result checked. */
async function createFromPackage(
  name: string,
  config: ProviderConfigEntry,
  pkg: { optionsSchema?: StandardSchema; create: ProviderFactory },
  origin: Origin,
): Promise<Provider> {
  const label = origin.builtin ? `type ${origin.type}` : `provider package "${origin.specifier}"`;
  let entry = config;
  if (pkg.optionsSchema) {
    let checked: Awaited<ReturnType<typeof validateProviderOptions>>;
    try {
      checked = await validateProviderOptions(pkg.optionsSchema, config);
    } catch (error) {
      throw new ProviderSetupError(
        name,
        `${label} could not check the options of providers.${name}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (!checked.ok) {
      const problems = checked.issues.map((issue) => `${optionPath(name, issue.path)}: ${issue.message}`);
      throw new ProviderSetupError(name, `${problems.join('; ')} (options of ${label})`);
    }
    entry = { ...config, ...checked.options };
  }
  let provider: unknown;
  try {
    provider = await pkg.create({ name, config: entry });
  } catch (error) {
    if (error instanceof ProviderSetupError) throw error;
    // A built-in type's errors already name providers.<name>.<key>; a package's are said to be its own.
    const message = origin.builtin
      ? (error as Error).message
      : `${label} failed to create providers.${name}: ${(error as Error).message}`;
    throw new ProviderSetupError(name, message, { cause: error });
  }
  return checkProvider(provider, name, label);
}

export async function createProviderRegistry(
  providers: Record<string, ProviderConfigEntry>,
  options: ProviderRegistryOptions = {},
): Promise<ProviderRegistry> {
  const map = new Map<string, Provider>();
  const closeAll = async () => {
    await Promise.allSettled([...map.values()].map((provider) => provider.close?.()));
  };
  try {
    for (const [name, config] of Object.entries(providers)) {
      map.set(name, await createOne(name, config, options));
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  const entries = [...map.entries()];
  let closing: Promise<void> | undefined;
  return {
    get: (name) => map.get(name),
    names: () => entries.map(([name]) => name),
    entries: () => [...entries],
    close: () => {
      closing ??= closeAll();
      return closing;
    },
  };
}
