/**
 * `type: ollama`: Ollama's native chat API, `POST {base_url}/api/chat`, streamed as NDJSON.
 *
 * Written with the kit's lower-level parts rather than `createHttpProvider`, which decodes every stream as
 * SSE and treats a `json` content type (Ollama streams `application/x-ndjson`) as a whole, non-streamed body.
 */
import type {
  CallContext,
  CanonicalRequest,
  CanonicalResponse,
  Provider,
  ProviderInit,
  StreamEvent,
} from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import {
  collectResponse,
  createHealthTracker,
  createUpstreamClient,
  decodeNdjsonStream,
  errorFromResponse,
  headerValue,
  joinPath,
  mergeHeaders,
  openBytes,
  parseBaseUrl,
  providerSecrets,
  readText,
  redactError,
  simulateStream,
  type UpstreamResponse,
} from '@tokenpak/provider-utils';
import { ollamaChat } from './dialect.ts';
import type { OllamaOptions } from './options.ts';

export const OLLAMA_BASE_URL = 'http://127.0.0.1:11434';

/** Largest non-streamed response body read. */
const RESPONSE_BODY_LIMIT = 32 * 1024 * 1024;

/** `{base path}/api/chat` for a base URL (`http://host:11434` or `https://proxy/ollama`). */
export function chatPath(baseUrl: string, name: string): string {
  const base = parseBaseUrl(baseUrl, name);
  return joinPath(base.path, '/api/chat') + base.search;
}

/** The config's own options on top of the built body: keep_alive, num_ctx, and think when none was asked. */
function applyOptions(body: Record<string, unknown>, options: OllamaOptions): Record<string, unknown> {
  const out = { ...body };
  if (options.keep_alive !== undefined) out.keep_alive = options.keep_alive;
  if (options.num_ctx !== undefined) {
    out.options = { num_ctx: options.num_ctx, ...(out.options as Record<string, unknown> | undefined) };
  }
  if (options.think !== undefined && out.think === undefined) out.think = options.think;
  return out;
}

function isNdjson(response: UpstreamResponse): boolean {
  const type = headerValue(response.headers, 'content-type') ?? '';
  return type.includes('ndjson') || type.includes('jsonl');
}

export function createOllamaProvider({ name, config }: ProviderInit): Provider {
  const options = config as unknown as OllamaOptions;
  const key = typeof config.api_key === 'string' && config.api_key !== '' ? config.api_key : undefined;
  const baseUrl = config.base_url ?? OLLAMA_BASE_URL;
  const base = parseBaseUrl(baseUrl, name);
  const path = chatPath(baseUrl, name);
  const secrets = providerSecrets(config);
  const headers = mergeHeaders(
    { 'content-type': 'application/json' },
    key ? { authorization: `Bearer ${key}` } : undefined,
    config.headers,
  );
  const client = createUpstreamClient({
    provider: name,
    origin: base.origin,
    connectTimeoutMs: config.connect_timeout_ms,
    firstByteTimeoutMs: config.timeout_ms,
    idleTimeoutMs: config.idle_timeout_ms,
  });
  const health = createHealthTracker();
  const supportsStreaming = config.supports_streaming !== false;

  const fix = (error: ProviderError): ProviderError =>
    redactError(error.provider === undefined ? error.with({ provider: name }) : error, secrets);

  async function send(request: CanonicalRequest, context: CallContext, stream: boolean) {
    let body: Record<string, unknown>;
    try {
      body = applyOptions(
        ollamaChat.buildRequest(
          request,
          { model: context.model, stream, defaultMaxTokens: context.defaultMaxTokens },
          context.warnings,
        ),
        options,
      );
    } catch (error) {
      if (error instanceof ProviderError) throw fix(error);
      throw fix(
        new ProviderError({
          type: 'api_error',
          retryable: false,
          message: `provider ${name} could not build its upstream request: ${(error as Error)?.message}`,
          cause: error,
        }),
      );
    }
    let response: UpstreamResponse;
    try {
      response = await client.send({
        path,
        headers,
        body: JSON.stringify(body),
        signal: context.signal,
        ...(context.onUpstreamResponse && { onResponse: context.onUpstreamResponse }),
      });
    } catch (error) {
      const failure = fix(error as ProviderError);
      health.record(failure);
      throw failure;
    }
    if (response.status < 200 || response.status >= 300) {
      let failure = await errorFromResponse(response, { dialect: ollamaChat, provider: name, secrets });
      // A 404 from /api/chat is an unknown model: say which, whatever the body said.
      if (failure.type === 'not_found' && !failure.message.includes(context.model)) {
        failure = failure.with({ message: `${failure.message} (model '${context.model}')` });
      }
      health.record(failure);
      throw failure;
    }
    return response;
  }

  function decode(response: UpstreamResponse, onEnd?: (error?: ProviderError) => void) {
    return decodeNdjsonStream(openBytes(response), ollamaChat.createStreamDecoder(), {
      provider: name,
      fixError: fix,
      ...(onEnd && { onEnd }),
    });
  }

  async function readResponse(response: UpstreamResponse): Promise<CanonicalResponse> {
    try {
      let result: CanonicalResponse;
      if (isNdjson(response)) {
        // An upstream that streamed anyway.
        result = await collectResponse(decode(response));
      } else {
        const text = await readText(openBytes(response), RESPONSE_BODY_LIMIT);
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new ProviderError({
            type: 'bad_upstream',
            message: `upstream ${name} sent a response body that is not JSON`,
          });
        }
        result = ollamaChat.parseResponse(json);
      }
      health.record();
      return result;
    } catch (error) {
      const failure = fix(
        error instanceof ProviderError
          ? error
          : new ProviderError({
              type: 'bad_upstream',
              message: `upstream ${name} sent a response that could not be read: ${(error as Error).message}`,
              cause: error,
            }),
      );
      health.record(failure);
      throw failure;
    }
  }

  async function complete(request: CanonicalRequest, context: CallContext): Promise<CanonicalResponse> {
    return readResponse(await send(request, context, false));
  }

  return {
    name,
    type: 'ollama',
    dialect: ollamaChat.name,
    supportsStreaming,
    async stream(request, context): Promise<ReadableStream<StreamEvent>> {
      if (!supportsStreaming) return simulateStream(await complete(request, context));
      const response = await send(request, context, true);
      // A server that ignored `stream: true` and sent one JSON body.
      if (!isNdjson(response)) return simulateStream(await readResponse(response));
      return decode(response, (error) => health.record(error));
    },
    complete,
    health: () => health.snapshot(),
    async close() {
      await client.close();
    },
  };
}
