/** The `type: ollama` entry's own options (besides `base_url`, `api_key`, `headers`, timeouts...). */
import { unknownOptionMessage } from '@tokenpak/provider-utils';
import * as v from 'valibot';

export const THINK_LEVELS = ['low', 'medium', 'high'] as const;

const OPTION_NAMES = ['keep_alive', 'num_ctx', 'think'] as const;

export const optionsSchema = v.strictObject(
  {
    /**
     * How long Ollama keeps the model loaded after the call (`"5m"`, `"1h"`, seconds as a number, `-1` for
     * ever, `0` to unload at once). Sent as `keep_alive`; unset: Ollama's own default (5 minutes).
     */
    keep_alive: v.optional(v.union([v.string(), v.number()])),
    /** Context window in tokens, sent as `options.num_ctx`; unset: the model's default. */
    num_ctx: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
    /**
     * `think` for requests that say nothing about reasoning: `true` / `false`, or a level (`low`, `medium`,
     * `high`, for models such as gpt-oss). Unset: not sent (the model's default).
     */
    think: v.optional(v.union([v.boolean(), v.picklist(THINK_LEVELS)])),
  },
  (issue) =>
    issue.expected === 'never'
      ? unknownOptionMessage(String(issue.input), OPTION_NAMES, 'ollama')
      : 'the options must be a mapping',
);

export type OllamaOptions = v.InferOutput<typeof optionsSchema>;
