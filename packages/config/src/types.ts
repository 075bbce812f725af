import type * as v from 'valibot';
import type { configSchema } from './schema/config.ts';

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The validated, fully defaulted, deeply frozen config. */
export type TokenPakConfig = DeepReadonly<v.InferOutput<typeof configSchema>>;
/** What a user may write (before defaults). */
export type TokenPakConfigInput = v.InferInput<typeof configSchema>;
export type ServerConfig = TokenPakConfig['server'];
export type StreamingConfig = TokenPakConfig['streaming'];
export type ProviderConfig = TokenPakConfig['providers'][string];
export type ModelConfig = TokenPakConfig['models'][string];
