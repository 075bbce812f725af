/**
 * `type: ollama`: Ollama's native chat API, `POST {base_url}/api/chat`, streamed as NDJSON.
 *
 * Written with `createHttpProvider`: the dialect says its streams are NDJSON (`framing: 'ndjson'`).
 */
import type { Provider, ProviderInit } from '@tokenpak/provider';
import { createHttpProvider, joinPath, parseBaseUrl, providerSecrets } from '@tokenpak/provider-utils';
import { ollamaChat } from './dialect.ts';
import type { OllamaOptions } from './options.ts';

export const OLLAMA_BASE_URL = 'http://127.0.0.1:11434';
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

export function createOllamaProvider({ name, config }: ProviderInit): Provider {
  const options = config as unknown as OllamaOptions;
  const key = typeof config.api_key === 'string' && config.api_key !== '' ? config.api_key : undefined;
  const baseUrl = config.base_url ?? OLLAMA_BASE_URL;
  const path = chatPath(baseUrl, name);
  return createHttpProvider({
    name,
    type: 'ollama',
    dialect: ollamaChat,
    baseUrl,
    url: () => path,
    config,
    headers: (key ? { authorization: `Bearer ${key}` } : {}) as Record<string, string>,
    secrets: providerSecrets(config),
    body: (body) => applyOptions(body, options),
    // A 404 from /api/chat is an unknown model: say which, whatever the body said.
    explainError: (error, call) =>
      error.type === 'not_found' && !error.message.includes(call.model)
        ? error.with({ message: `${error.message} (model '${call.model}')` })
        : error,
  });
}
