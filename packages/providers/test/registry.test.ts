import { fileURLToPath } from 'node:url';
import { callContext, providerEntry, readAll, userRequest } from '@tokenpak/provider-utils/test';
import { describe, expect, test } from 'vitest';
import { createProviderRegistry } from '../src/registry/create-provider-registry.ts';
import { ProviderSetupError } from '../src/registry/provider-setup-error.ts';

const baseDir = fileURLToPath(new URL('./fixtures-packages/', import.meta.url));

describe('createProviderRegistry', () => {
  test('builds every built-in type, keyed by name, in config order', async () => {
    const registry = await createProviderRegistry({
      local: providerEntry({ type: 'mock' }),
      openai: providerEntry({ type: 'openai', api_key: 'sk-test' }),
      claude: providerEntry({ type: 'anthropic', api_key: 'sk-ant-test' }),
      vllm: providerEntry({ type: 'openai-compatible', base_url: 'http://127.0.0.1:9/v1' }),
    });
    try {
      expect(registry.names()).toEqual(['local', 'openai', 'claude', 'vllm']);
      expect(registry.entries().map(([name, p]) => [name, p.type, p.dialect])).toEqual([
        ['local', 'mock', null],
        ['openai', 'openai', 'openai-chat'],
        ['claude', 'anthropic', 'anthropic-messages'],
        ['vllm', 'openai-compatible', 'openai-chat'],
      ]);
      expect(registry.get('missing')).toBeUndefined();
      expect(registry.get('local')?.name).toBe('local');
    } finally {
      await registry.close();
    }
  });

  test('loads a provider package by relative path (default export) and passes its options', async () => {
    const registry = await createProviderRegistry(
      { shout: providerEntry({ type: 'custom', package: './shout-provider.mjs', greeting: 'HEY' }) },
      { baseDir },
    );
    const provider = registry.get('shout');
    expect(provider?.name).toBe('shout');
    const events = await readAll(await provider!.stream(userRequest('quiet please'), callContext()));
    expect(events.find((e) => e.type === 'text-delta')).toMatchObject({ text: 'HEY QUIET PLEASE' });
    await registry.close();
    expect((provider as unknown as { closed: { value: boolean } }).closed.value).toBe(true);
  });

  test('accepts a `createProvider` export and an injected importModule', async () => {
    const seen: string[] = [];
    const registry = await createProviderRegistry(
      { named: providerEntry({ type: 'custom', package: './named-export-provider.mjs' }) },
      {
        baseDir,
        importModule: (specifier) => {
          seen.push(specifier);
          return import(specifier);
        },
      },
    );
    expect(seen).toEqual([new URL('./fixtures-packages/named-export-provider.mjs', import.meta.url).href]);
    expect(registry.get('named')?.supportsStreaming).toBe(false);
  });

  test.each([
    [
      { type: 'custom', package: './no-factory.mjs' },
      'provider package "./no-factory.mjs" (providers.x) must export a provider factory function as default or createProvider (found exports: version)',
    ],
    [
      { type: 'custom', package: './broken-provider.mjs' },
      'provider package "./broken-provider.mjs" returned an invalid provider for providers.x: `dialect` is not null, "openai-chat" or "anthropic-messages"; `stream()` is missing; `complete()` is missing',
    ],
    [
      { type: 'custom', package: './nowhere.mjs' },
      'could not load provider package "./nowhere.mjs" for providers.x:',
    ],
    [
      { type: 'custom', package: '@acme/tokenpak-provider-none' },
      'could not load provider package "@acme/tokenpak-provider-none"',
    ],
    [{ type: 'custom' }, 'providers.x.package is required for type custom'],
    [
      { type: 'gemini' },
      'providers.x.type "gemini" is not a provider type (built-in: openai, anthropic, openai-compatible, mock;',
    ],
    [{ type: 'openai-compatible' }, 'providers.x.base_url is required for type openai-compatible'],
    [
      { type: 'openai', base_url: 'ftp://example.com' },
      'providers.x.base_url must use http or https (got ftp:)',
    ],
    [{ type: 'mock', latency_ms: 'slow' }, 'providers.x.latency_ms must be a number ≥ 0 (got "slow")'],
  ])('%j fails with a clear error naming the provider', async (entry, message) => {
    const failure = createProviderRegistry({ x: providerEntry(entry) }, { baseDir });
    await expect(failure).rejects.toBeInstanceOf(ProviderSetupError);
    await expect(failure).rejects.toMatchObject({ provider: 'x' });
    await expect(failure).rejects.toThrow(message);
  });

  test('providers built before a failing one are closed', async () => {
    const created: Array<{ closed: { value: boolean } }> = [];
    const importModule = async (specifier: string) => {
      const mod = (await import(specifier)) as { default: (init: unknown) => { closed: { value: boolean } } };
      return {
        default: (init: unknown) => {
          const provider = mod.default(init);
          created.push(provider);
          return provider;
        },
      };
    };
    const failure = createProviderRegistry(
      {
        shout: providerEntry({ type: 'custom', package: './shout-provider.mjs' }),
        bad: providerEntry({ type: 'nope' }),
      },
      { baseDir, importModule },
    );
    await expect(failure).rejects.toThrow('providers.bad.type "nope"');
    expect(created).toHaveLength(1);
    expect(created[0]?.closed.value).toBe(true);
  });
});
