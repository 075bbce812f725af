import * as v from 'valibot';
import { section } from './messages.ts';
import { modelsSchema } from './model.ts';
import { providerSchema } from './provider.ts';
import { serverSchema } from './server.ts';
import { streamingSchema } from './streaming.ts';

const entries = {
  server: v.optional(serverSchema, () => ({})),
  streaming: v.optional(streamingSchema, () => ({})),
  providers: v.optional(
    v.pipe(
      v.record(v.string(), providerSchema, section('providers', [])),
      v.description('Upstreams by name.'),
    ),
    () => ({}),
  ),
  models: v.optional(modelsSchema, () => ({})),
};

/** The one schema: the type, the defaults, the messages and the JSON Schema all come from here. */
export const configSchema = v.pipe(
  v.strictObject(entries, section('the config', Object.keys(entries))),
  v.title('TokenPak config'),
  v.description('Configuration of the TokenPak streaming LLM proxy (config.yaml).'),
);
