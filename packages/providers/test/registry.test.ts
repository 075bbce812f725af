import { fileURLToPath } from 'node:url';
import { callContext, providerEntry, readAll, userRequest } from '@tokenpak/provider-utils/test';
import { describe, expect, test } from 'vitest';
import { createProviderRegistry } from '../src/registry/create-provider-registry.ts';
import { ProviderSetupError } from '../src/registry/provider-setup-error.ts';
import { startEchoUpstream } from './fixtures-packages/echo-provider/upstream.mjs';

const baseDir = fileURLToPath(new URL('./fixtures-packages/', import.meta.url));

describe('createProviderRegistry', () => {
  test('builds every built-in type, keyed by name, in config order', async () => {
    const registry = await createProviderRegistry({
      local: providerEntry({ type: 'mock' }),
      openai: providerEntry({ type: 'openai', api_key: 'sk-test' }),
      claude: providerEntry({ type: 'anthropic', api_key: 'sk-ant-test' }),
      vllm: providerEntry({ type: 'openai-compatible', base_url: 'http://127.0.0.1:9/v1' }),
      aws: providerEntry({ type: 'bedrock', region: 'us-east-1', api_key: 'bedrock-api-key' }),
    });
    try {
      expect(registry.names()).toEqual(['local', 'openai', 'claude', 'vllm', 'aws']);
      expect(registry.entries().map(([name, p]) => [name, p.type, p.dialect])).toEqual([
        ['local', 'mock', null],
        ['openai', 'openai', 'openai-chat'],
        ['claude', 'anthropic', 'anthropic-messages'],
        ['vllm', 'openai-compatible', 'openai-chat'],
        ['aws', 'bedrock', 'bedrock-converse'],
      ]);
      expect(registry.get('missing')).toBeUndefined();
      expect(registry.get('local')?.name).toBe('local');
    } finally {
      await registry.close();
    }
  });

  test("every built-in type's options go through its schema: valid ones accepted, defaults filled", async () => {
    const registry = await createProviderRegistry({
      responses: providerEntry({ type: 'openai', api_key: 'sk-test', api: 'responses' }),
      chat: providerEntry({ type: 'openai', api_key: 'sk-test' }),
      vllm: providerEntry({
        type: 'openai-compatible',
        base_url: 'http://127.0.0.1:9/v1',
        include_usage: false,
      }),
      az: providerEntry({
        type: 'azure',
        base_url: 'https://r.openai.azure.com',
        api_key: 'k',
        api_version: '2024-10-21',
        deployment: 'gpt-4o',
      }),
      local: providerEntry({ type: 'mock', latency_ms: 0, echo: true }),
    });
    try {
      expect(registry.entries().map(([name, p]) => [name, p.type, p.dialect])).toEqual([
        ['responses', 'openai', 'openai-responses'],
        ['chat', 'openai', 'openai-chat'],
        ['vllm', 'openai-compatible', 'openai-chat'],
        ['az', 'azure', 'openai-chat'],
        ['local', 'mock', null],
      ]);
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
      'provider package "./no-factory.mjs" (providers.x) must export { type, create, optionsSchema? } as default or as named exports, or a provider factory function as default or createProvider (found exports: version)',
    ],
    [
      { type: 'custom', package: './broken-provider.mjs' },
      'provider package "./broken-provider.mjs" returned an invalid provider for providers.x: `stream()` is missing; `complete()` is missing',
    ],
    [
      { type: 'custom', package: './nowhere.mjs' },
      'could not load provider package "./nowhere.mjs" for providers.x:',
    ],
    [
      { type: 'custom', package: '@acme/tokenpak-provider-none' },
      'could not load provider package "@acme/tokenpak-provider-none"',
    ],
    [
      { type: 'custom', package: './echo-provider', base_url: 'http://127.0.0.1:9/v1beta', max_words: 0 },
      'providers.x.max_words: expected a whole number ≥ 1, got 0 (options of provider package "./echo-provider")',
    ],
    [
      { type: 'custom', package: './echo-provider/index.mjs', greeting: 5, colour: 'red' },
      'providers.x.colour: is not an option of type echo; its options: greeting, max_words (besides the common ones:',
    ],
    [
      { type: 'custom', package: './echo-provider', base_url: 'http://127.0.0.1:9/v1beta', greting: 'hi' },
      "providers.x.greting: is not an option of type echo (did you mean 'greeting'?)",
    ],
    [
      { type: 'custom', package: './echo-provider', greeting: 'hi' },
      'provider package "./echo-provider" failed to create providers.x: providers.x.base_url is required for the echo provider',
    ],
    [{ type: 'custom' }, 'providers.x.package is required for type custom'],
    [
      { type: 'palm' },
      'providers.x.type "palm" is not a provider type (built-in: openai, anthropic, openai-compatible, azure, mock, gemini, ollama, bedrock;',
    ],
    [{ type: 'openai-compatible' }, 'providers.x.base_url is required for type openai-compatible'],
    [
      { type: 'openai', base_url: 'ftp://example.com' },
      'providers.x.base_url must use http or https (got ftp:)',
    ],
    [
      { type: 'mock', latency_ms: 'slow' },
      'providers.x.latency_ms: must be a number ≥ 0 (got "slow") (options of type mock)',
    ],
    [
      { type: 'bedrock', api_key: 'k' },
      'providers.x.region is required for type bedrock (e.g. region: us-east-1), unless base_url is given',
    ],
    [
      { type: 'openai', api_key: 'k', api: 'respones' },
      `providers.x.api: must be 'chat' or 'responses' (got "respones") (options of type openai)`,
    ],
    [
      { type: 'openai', api_key: 'k', apii: 'chat', timout_ms: 500 },
      "providers.x.apii: is not an option of type openai (did you mean 'api'?)",
    ],
    [
      { type: 'openai', api_key: 'k', timout_ms: 500 },
      "providers.x.timout_ms: is not an option of type openai (did you mean 'timeout_ms'?)",
    ],
    [
      { type: 'anthropic', api_key: 'k', max_retry: 0 },
      "providers.x.max_retry: is not an option of type anthropic (did you mean 'max_retries'?)",
    ],
    [
      { type: 'openai-compatible', base_url: 'http://127.0.0.1:9/v1', include_usge: true },
      "providers.x.include_usge: is not an option of type openai-compatible (did you mean 'include_usage'?)",
    ],
    [
      { type: 'openai-compatible', base_url: 'http://127.0.0.1:9/v1', include_usage: 'no' },
      'providers.x.include_usage: must be true or false (got "no") (options of type openai-compatible)',
    ],
    [
      { type: 'azure', base_url: 'https://r.openai.azure.com', api_key: 'k', deployment_name: 'd' },
      'providers.x.deployment_name: is not an option of type azure: did you mean deployment?',
    ],
    [
      { type: 'azure', base_url: 'https://r.openai.azure.com', api_key: 'k', api_version: 'v1' },
      'providers.x.api_version: must be left out for the v1 API',
    ],
    [
      { type: 'mock', latencyms: 5 },
      "providers.x.latencyms: is not an option of type mock (did you mean 'latency_ms'?)",
    ],
    [
      { type: 'bedrock', region: 'us-east-1', access_key_id: 'AKIA1' },
      'providers.x.access_key_id: access_key_id and secret_access_key go together',
    ],
  ])('%j fails with a clear error naming the provider', async (entry, message) => {
    const failure = createProviderRegistry({ x: providerEntry(entry) }, { baseDir });
    await expect(failure).rejects.toBeInstanceOf(ProviderSetupError);
    await expect(failure).rejects.toMatchObject({ provider: 'x' });
    await expect(failure).rejects.toThrow(message);
  });

  test('a ProviderPackage { type, optionsSchema, create }: options checked, defaulted, and streamed through createHttpProvider', async () => {
    const upstream = await startEchoUpstream({ apiKey: 'echo-key-123' });
    const registry = await createProviderRegistry(
      {
        echo: providerEntry({
          type: 'custom',
          package: './echo-provider',
          base_url: `${upstream.url}/v1beta`,
          api_key: 'echo-key-123',
          max_words: 4,
        }),
      },
      { baseDir },
    );
    try {
      const echo = registry.get('echo')!;
      expect([echo.type, echo.dialect, echo.supportsStreaming]).toEqual(['echo', 'echo-generate', true]);
      const events = await readAll(await echo.stream(userRequest('one two three four five'), callContext()));
      const text = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');
      // The default greeting ("echo:") came from the schema; max_words cut the answer.
      expect(text).toBe('echo: one two three');
      expect(events.at(-1)).toEqual({
        type: 'finish',
        reason: 'length',
        usage: { inputTokens: 5, outputTokens: 4 },
      });
      const whole = await echo.complete(
        userRequest('hi there', { stream: false }),
        callContext({ model: 'e-1' }),
      );
      expect(whole).toMatchObject({
        model: 'e-1',
        content: [{ type: 'text', text: 'echo: hi there' }],
        finishReason: 'stop',
        usage: { inputTokens: 2, outputTokens: 3 },
      });
      expect(upstream.requests.map((r) => r.url)).toEqual([
        '/v1beta/models/upstream-model:streamGenerateContent?alt=sse',
        '/v1beta/models/e-1:generateContent',
      ]);
    } finally {
      await registry.close();
      await upstream.close();
    }
  });

  test('a ProviderPackage as named exports, and a package built for another specification version', async () => {
    const echo = await import('./fixtures-packages/echo-provider/index.mjs');
    const named = { type: echo.type, create: echo.create, optionsSchema: echo.optionsSchema };
    const registry = await createProviderRegistry(
      { e: providerEntry({ type: 'custom', package: 'echo', base_url: 'http://127.0.0.1:9', api_key: 'k' }) },
      { importModule: async () => named },
    );
    expect(registry.get('e')?.type).toBe('echo');
    await registry.close();
    await expect(
      createProviderRegistry(
        { e: providerEntry({ type: 'custom', package: 'echo' }) },
        { importModule: async () => ({ ...named, specificationVersion: 'v9' }) },
      ),
    ).rejects.toThrow('was built for specification "v9"; this TokenPak supports "v1"');
    await expect(
      createProviderRegistry(
        { e: providerEntry({ type: 'custom', package: 'echo' }) },
        { importModule: async () => ({ default: { create: echo.create } }) },
      ),
    ).rejects.toThrow('must export its provider `type` as a non-empty string');
  });

  test('the dialect list is open: any non-empty name or null; anything else is refused', async () => {
    const provider = (dialect: unknown) => ({
      default: ({ name }: { name: string }) => ({
        name,
        type: 'custom',
        dialect,
        supportsStreaming: false,
        complete: async () => ({}),
        stream: async () => new ReadableStream(),
      }),
    });
    const build = (dialect: unknown) =>
      createProviderRegistry(
        { x: providerEntry({ type: 'custom', package: 'p' }) },
        { importModule: async () => provider(dialect) },
      );
    expect((await build('gemini-generate')).get('x')?.dialect).toBe('gemini-generate');
    expect((await build(null)).get('x')?.dialect).toBeNull();
    for (const bad of ['', 42, undefined]) {
      await expect(build(bad)).rejects.toThrow(
        '`dialect` is not null or a dialect name (a non-empty string)',
      );
    }
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
