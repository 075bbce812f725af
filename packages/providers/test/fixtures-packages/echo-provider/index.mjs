// tokenpak-provider-echo: a provider package written with @tokenpak/provider and @tokenpak/provider-utils
// alone, the worked example of docs/adding-a-provider.md.
//
// Its upstream speaks a small Gemini-style wire API (see upstream.mjs): the model and the stream flag are in
// the URL (`/v1beta/models/{model}:streamGenerateContent?alt=sse` vs `:generateContent`), the key goes in
// `x-goog-api-key`, streams are SSE chunks `{ candidates: [{ content: { parts: [{ text }] }, finishReason }],
// usageMetadata }`. The upstream echoes the last user message after the provider's `greeting`.
//
// config.yaml:
//   providers:
//     echo:
//       type: custom
//       package: ./echo-provider      # a folder (its package.json exports), a file, or a package name
//       base_url: http://127.0.0.1:9999/v1beta
//       api_key: ${ECHO_API_KEY}
//       greeting: "echo:"             # options, checked by optionsSchema
//       max_words: 20

import { ProviderError } from '@tokenpak/provider';
import {
  createHttpProvider,
  joinPath,
  missingKeyError,
  parseBaseUrl,
  providerSecrets,
  unknownOptionMessage,
} from '@tokenpak/provider-utils';

export const type = 'echo';
export const specificationVersion = 'v1';

// ---------------------------------------------------------------------------------------------------------
// Options: a Standard Schema (https://standardschema.dev) written by hand, so this package depends on no
// validation library. A valibot, zod or arktype schema works the same: each implements `~standard`.

const OPTIONS = { greeting: 'a string', max_words: 'a whole number ≥ 1' };

/** @type {import('@tokenpak/provider').StandardSchema<unknown, { greeting: string; max_words?: number }>} */
export const optionsSchema = {
  '~standard': {
    version: 1,
    vendor: 'tokenpak-provider-echo',
    validate(value) {
      const input = /** @type {Record<string, unknown>} */ (value ?? {});
      const issues = [];
      for (const key of Object.keys(input)) {
        if (!(key in OPTIONS)) {
          // "is not an option of type echo (did you mean 'greeting'?)", or its options when none is close.
          issues.push({ path: [key], message: unknownOptionMessage(key, Object.keys(OPTIONS), 'echo') });
        }
      }
      const { greeting = 'echo:', max_words } = input;
      if (typeof greeting !== 'string') {
        issues.push({
          path: ['greeting'],
          message: `expected ${OPTIONS.greeting}, got ${JSON.stringify(greeting)}`,
        });
      }
      if (max_words !== undefined && !(Number.isInteger(max_words) && max_words >= 1)) {
        issues.push({
          path: ['max_words'],
          message: `expected ${OPTIONS.max_words}, got ${JSON.stringify(max_words)}`,
        });
      }
      if (issues.length > 0) return { issues };
      return { value: { greeting, ...(max_words !== undefined && { max_words }) } };
    },
  },
};

// ---------------------------------------------------------------------------------------------------------
// The wire: an UpstreamDialect (buildRequest, createStreamDecoder, parseResponse, parseError). The
// client-facing half of a full Dialect (parseRequest, encode*) is never used for an upstream: not needed.

const FINISH = { STOP: 'stop', MAX_TOKENS: 'length', SAFETY: 'content-filter' };

function usageOf(chunk) {
  const meta = chunk?.usageMetadata;
  if (!meta) return undefined;
  return { inputTokens: meta.promptTokenCount, outputTokens: meta.candidatesTokenCount };
}

function textOf(candidate) {
  return (candidate?.content?.parts ?? []).map((part) => part.text ?? '').join('');
}

/** Upstream SSE messages → canonical events; a fresh one per stream (its state lives in this closure). */
function createStreamDecoder() {
  let started = false;
  let done = false;
  let usage = {};
  return {
    push(message, emit) {
      const chunk = JSON.parse(message.data);
      if (chunk.error) {
        done = true;
        emit({
          type: 'error',
          error: new ProviderError({ type: 'api_error', message: chunk.error.message }),
        });
        return;
      }
      if (!started) {
        started = true;
        emit({ type: 'message-start', id: chunk.responseId ?? 'echo', model: chunk.modelVersion ?? 'echo' });
        emit({ type: 'block-start', index: 0, block: { type: 'text' } });
      }
      const candidate = chunk.candidates?.[0];
      const text = textOf(candidate);
      if (text !== '') emit({ type: 'text-delta', index: 0, text });
      const next = usageOf(chunk);
      if (next) {
        usage = { ...usage, ...next };
        emit({ type: 'usage', usage: next });
      }
      if (candidate?.finishReason) {
        done = true;
        emit({ type: 'block-stop', index: 0 });
        emit({ type: 'finish', reason: FINISH[candidate.finishReason] ?? 'other', usage });
      }
    },
    end(emit) {
      if (!done) {
        emit({
          type: 'error',
          error: new ProviderError({ type: 'network', message: 'the echo upstream ended its stream early' }),
        });
      }
    },
  };
}

/** @type {import('@tokenpak/provider').UpstreamDialect} */
const echoDialect = {
  name: 'echo-generate',
  buildRequest(request, options) {
    return {
      contents: request.messages
        .filter((message) => message.role === 'user' || message.role === 'assistant')
        .map((message) => ({
          role: message.role === 'assistant' ? 'model' : 'user',
          parts: message.content.flatMap((part) => (part.type === 'text' ? [{ text: part.text }] : [])),
        })),
      generationConfig: { maxOutputTokens: request.maxTokens ?? options.defaultMaxTokens },
    };
  },
  createStreamDecoder,
  parseResponse(body) {
    const candidate = body?.candidates?.[0];
    return {
      id: body?.responseId ?? 'echo',
      model: body?.modelVersion ?? 'echo',
      content: [{ type: 'text', text: textOf(candidate) }],
      finishReason: FINISH[candidate?.finishReason] ?? 'other',
      usage: usageOf(body) ?? {},
    };
  },
  parseError(status, body, provider) {
    const message = typeof body === 'string' ? body : (body?.error?.message ?? `status ${status}`);
    const type =
      status === 401 || status === 403 ? 'authentication' : status === 429 ? 'rate_limit' : 'api_error';
    return new ProviderError({ type, status, provider, message });
  },
};

// ---------------------------------------------------------------------------------------------------------
// The provider: createHttpProvider with a URL, a header and a body change per call.

/** @type {import('@tokenpak/provider').ProviderFactory} */
export function create({ name, config }) {
  if (typeof config.base_url !== 'string') {
    throw new Error(
      `providers.${name}.base_url is required for the echo provider (e.g. http://127.0.0.1:9999/v1beta)`,
    );
  }
  const key = typeof config.api_key === 'string' && config.api_key !== '' ? config.api_key : undefined;
  const base = parseBaseUrl(config.base_url, name);
  return createHttpProvider({
    name,
    type,
    dialect: echoDialect,
    baseUrl: config.base_url,
    url: ({ model, stream }) =>
      joinPath(
        base.path,
        `/models/${encodeURIComponent(model)}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
      ),
    config,
    headers: key ? { 'x-goog-api-key': key } : {},
    secrets: providerSecrets(config),
    ...(!key && { configError: missingKeyError(name, type, 'ECHO_API_KEY') }),
    body: (body) => ({
      ...body,
      systemInstruction: { parts: [{ text: config.greeting }] },
      ...(config.max_words !== undefined && {
        generationConfig: { ...body.generationConfig, maxOutputTokens: config.max_words },
      }),
    }),
  });
}

/** @type {import('@tokenpak/provider').ProviderPackage} */
export default { specificationVersion, type, optionsSchema, create };
