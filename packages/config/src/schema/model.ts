import * as v from 'valibot';
import { section } from './messages.ts';
import { flag, text, wholeNumber } from './numbers.ts';
import { bufferTokensSchema, flushIntervalSchema } from './streaming.ts';

const entries = {
  provider: text('the name of a provider', 'The provider (a key under providers) that serves this alias.'),
  model: v.optional(text('an upstream model id', 'The upstream model id; defaults to the alias.')),
  stream: v.optional(
    flag('true: always stream from upstream; false: never; unset: follow the client request.'),
  ),
  buffer_tokens: v.optional(bufferTokensSchema),
  flush_interval_ms: v.optional(flushIntervalSchema),
  max_tokens: v.optional(wholeNumber(1, 'max_tokens sent upstream when the client gives none.')),
  fallbacks: v.optional(
    v.pipe(
      v.array(
        text('a model alias', 'An alias tried when this one fails.'),
        'expected a list of model aliases',
      ),
      v.description(
        'Aliases tried in order once this alias has failed before its first content (its retries spent).',
      ),
    ),
  ),
};

export const modelSchema = v.pipe(
  v.strictObject(entries, section('a model', Object.keys(entries), { provider: 'the name of a provider' })),
  v.description('A model alias clients can name.'),
);

export const modelsSchema = v.pipe(
  v.record(v.string(), modelSchema, section('models', [])),
  v.transform((models) => {
    const out: Record<string, v.InferOutput<typeof modelSchema> & { model: string }> = {};
    for (const [alias, model] of Object.entries(models))
      out[alias] = { ...model, model: model.model ?? alias };
    return out;
  }),
  v.description('Model aliases clients can name, each served by a provider.'),
);
