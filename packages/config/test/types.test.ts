import { expect, expectTypeOf, test } from 'vitest';
import type { ModelConfig, ProviderConfig, StreamingConfig, TokenPakConfig } from '../src/index.ts';
import { defaultConfig } from '../src/index.ts';

// These assertions are checked by `tsc` (the typecheck task); the runtime part only keeps vitest honest.
test('the exported types describe the defaulted, readonly config', () => {
  const { config } = defaultConfig({});
  expectTypeOf(config).toEqualTypeOf<TokenPakConfig>();
  expectTypeOf(config.server.port).toEqualTypeOf<number>();
  expectTypeOf(config.server.api_keys).toEqualTypeOf<readonly string[] | undefined>();
  expectTypeOf<StreamingConfig['formats']>().toEqualTypeOf<readonly ('sse' | 'chunked')[]>();
  expectTypeOf<StreamingConfig['buffer_tokens']>().toEqualTypeOf<number>();
  expectTypeOf<ProviderConfig['type']>().toEqualTypeOf<
    | 'openai'
    | 'anthropic'
    | 'openai-compatible'
    | 'azure'
    | 'gemini'
    | 'ollama'
    | 'bedrock'
    | 'mock'
    | 'custom'
  >();
  expectTypeOf<ProviderConfig['supports_streaming']>().toEqualTypeOf<boolean>();
  expectTypeOf<ProviderConfig['api_key']>().toEqualTypeOf<string | undefined>();
  expectTypeOf<ProviderConfig['headers']>().toEqualTypeOf<{ readonly [x: string]: string }>();
  expectTypeOf<ProviderConfig>().toHaveProperty('latency_ms');
  expectTypeOf<ModelConfig['model']>().toEqualTypeOf<string>();
  expectTypeOf<ModelConfig['stream']>().toEqualTypeOf<boolean | undefined>();
  expectTypeOf<ModelConfig['buffer_tokens']>().toEqualTypeOf<number | undefined>();
  expect(() => {
    // @ts-expect-error the config is readonly
    config.server.port = 1;
  }).toThrow(TypeError);
});
