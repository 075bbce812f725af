import * as v from 'valibot';
import { bedrockChecks } from './bedrock.ts';
import { expected, oneOf, section } from './messages.ts';
import { flag, text, wholeNumber } from './numbers.ts';

export const PROVIDER_TYPES = [
  'openai',
  'anthropic',
  'openai-compatible',
  'azure',
  'gemini',
  'ollama',
  'bedrock',
  'mock',
  'custom',
] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

const urlSchema = v.pipe(
  v.string(expected('a URL')),
  v.url((issue) => `expected a URL such as https://api.example.com/v1, got '${issue.input}'`),
  v.check(
    (value) => /^https?:$/.test(new URL(value).protocol),
    (issue) => `must be an http:// or https:// URL, got '${issue.input}'`,
  ),
  v.description('Where requests go instead of the provider default (self-hosted gateways, tests).'),
);

/** The keys every provider entry may have, whatever its type. */
const providerEntries = {
  type: v.pipe(
    v.picklist(PROVIDER_TYPES, oneOf('provider type', PROVIDER_TYPES)),
    v.description('Which adapter serves this provider; custom loads `package`.'),
  ),
  package: v.optional(
    text('a module name', 'For type custom: the module to import (npm package name or path).'),
  ),
  api_key: v.optional(
    v.pipe(
      v.string(expected('a string (write ${ENV_VAR} to read it from the environment)')),
      v.description('Key sent upstream. Required for openai and anthropic; prefer ${ENV_VAR}.'),
    ),
  ),
  base_url: v.optional(urlSchema),
  supports_streaming: v.optional(
    flag('Whether the upstream can stream; when false, streaming clients get a simulated stream.'),
    true,
  ),
  timeout_ms: v.optional(wholeNumber(1, 'Longest wait (ms) for the first byte of the response.'), 60_000),
  connect_timeout_ms: v.optional(wholeNumber(1, 'Longest wait (ms) to open a connection.'), 10_000),
  idle_timeout_ms: v.optional(
    wholeNumber(1, 'Longest gap (ms) between two streamed chunks before the stream is failed.'),
    60_000,
  ),
  first_token_timeout_ms: v.optional(
    wholeNumber(
      1,
      'Longest wait (ms) for the first content of a streamed answer, or the whole of a non-streamed one, before the attempt is retried; defaults to timeout_ms.',
    ),
  ),
  max_retries: v.optional(
    wholeNumber(0, 'Retries of a failed attempt before the first content (then the fallbacks).'),
    2,
  ),
  retry_base_ms: v.optional(
    wholeNumber(1, 'First retry delay (ms); doubles each retry, with full jitter.'),
    250,
  ),
  retry_max_ms: v.optional(wholeNumber(1, 'Longest retry delay (ms), Retry-After included.'), 8000),
  headers: v.optional(
    v.pipe(
      v.record(
        v.string(),
        v.string(expected('a string header value')),
        expected('a mapping of header names to values'),
      ),
      v.description('Extra headers sent with every upstream request.'),
    ),
    () => ({}),
  ),
};

/**
 * A provider entry. Extra keys are kept: they are the type's options (e.g. the mock's latency_ms), checked by
 * its provider package's `optionsSchema` (in `tokenpak validate-config` and when the proxy starts).
 */
export const providerSchema = v.pipe(
  v.looseObject(
    providerEntries,
    section('a provider', [], {
      type: `provider type: one of ${PROVIDER_TYPES.map((t) => `'${t}'`).join(', ')}`,
    }),
  ),
  v.forward(
    v.partialCheck(
      [['type'], ['api_key']],
      (p) =>
        !(p.type === 'openai' || p.type === 'anthropic') || (p.api_key !== undefined && p.api_key !== ''),
      (issue) => {
        const p = issue.input as { type: string; api_key?: string };
        const env = p.type === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
        return p.api_key === ''
          ? `is empty: type '${p.type}' needs a key`
          : `is required for type '${p.type}' (e.g. api_key: \${${env}})`;
      },
    ),
    ['api_key'],
  ),
  v.forward(
    v.partialCheck(
      [['type'], ['base_url']],
      (p) => (p.type !== 'openai-compatible' && p.type !== 'azure') || p.base_url !== undefined,
      (issue) =>
        (issue.input as { type: string }).type === 'azure'
          ? "is required for type 'azure': the resource endpoint (e.g. base_url: https://my-resource.openai.azure.com)"
          : "is required for type 'openai-compatible' (e.g. base_url: http://localhost:11434/v1)",
    ),
    ['base_url'],
  ),
  bedrockChecks(Object.keys(providerEntries)),
  v.forward(
    v.partialCheck(
      [['type'], ['package']],
      (p) => p.type !== 'custom' || p.package !== undefined,
      () => "is required for type 'custom': the module that provides the adapter",
    ),
    ['package'],
  ),
  v.description(
    "An upstream: its type, key, URL and limits. Other keys are the type's own options, checked by its provider package.",
  ),
);
