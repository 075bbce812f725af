/**
 * `type: openai-compatible`: any server speaking OpenAI's Chat Completions API (vLLM, Ollama's /v1, LM Studio,
 * Groq, Together, OpenRouter...). `base_url` is required; `api_key` is optional (sent as a Bearer token).
 * Option `include_usage` (default true) asks for usage in streams; set false for servers that reject
 * `stream_options`.
 */

import type { Provider, ProviderInit } from '@tokenpak/provider';
import { createHttpProvider, providerSecrets } from '@tokenpak/provider-utils';
import { openaiChat } from './chat/index.ts';
import { chatCompletionsPath } from './chat-completions-url.ts';
import { dropStreamOptions, forceStreamUsage } from './openai-quirks.ts';

export function createOpenAICompatibleProvider({ name, config }: ProviderInit): Provider {
  if (typeof config.base_url !== 'string' || config.base_url === '') {
    throw new Error(
      `providers.${name}.base_url is required for type openai-compatible (e.g. http://localhost:11434/v1)`,
    );
  }
  const includeUsage = config.include_usage ?? true;
  if (typeof includeUsage !== 'boolean') {
    throw new Error(
      `providers.${name}.include_usage must be true or false (got ${JSON.stringify(includeUsage)})`,
    );
  }
  const key = typeof config.api_key === 'string' && config.api_key !== '' ? config.api_key : undefined;
  const path = chatCompletionsPath(config.base_url, name);
  return createHttpProvider({
    name,
    type: 'openai-compatible',
    dialect: openaiChat,
    baseUrl: config.base_url,
    url: () => path,
    config,
    headers: key ? { authorization: `Bearer ${key}` } : {},
    secrets: providerSecrets(config),
    body: includeUsage ? forceStreamUsage : dropStreamOptions,
  });
}
