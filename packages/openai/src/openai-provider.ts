/**
 * `type: openai`: OpenAI's Chat Completions API (https://api.openai.com/v1/chat/completions), or with
 * `api: responses` its Responses API (https://api.openai.com/v1/responses), for models served only there.
 */

import type {
  BuildRequestOptions,
  CanonicalRequest,
  Dialect,
  Provider,
  ProviderInit,
} from '@tokenpak/provider';
import { createHttpProvider, missingKeyError, providerSecrets } from '@tokenpak/provider-utils';
import { openaiChat } from './chat/index.ts';
import { chatCompletionsPath } from './chat-completions-url.ts';
import { forceStreamUsage, preferMaxCompletionTokens } from './openai-quirks.ts';
import { openaiResponses } from './responses/index.ts';
import { responsesPath } from './responses-url.ts';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** The openai-chat dialect, with OpenAI's own naming of max tokens for requests from other dialects. */
const openaiUpstream: Dialect = Object.freeze({
  ...openaiChat,
  buildRequest(request: CanonicalRequest, options: BuildRequestOptions, warnings?: string[]) {
    return preferMaxCompletionTokens(openaiChat.buildRequest(request, options, warnings), request);
  },
});

export function createOpenAIProvider({ name, config }: ProviderInit): Provider {
  const key = typeof config.api_key === 'string' && config.api_key !== '' ? config.api_key : undefined;
  const hasAuthHeader = Object.keys(config.headers ?? {}).some((h) => h.toLowerCase() === 'authorization');
  const baseUrl = config.base_url ?? OPENAI_BASE_URL;
  const api = config.api ?? 'chat';
  if (api !== 'chat' && api !== 'responses') {
    throw new Error(`providers.${name}.api must be 'chat' or 'responses' (got ${JSON.stringify(api)})`);
  }
  const shared = {
    name,
    type: 'openai',
    baseUrl,
    config,
    headers: (key ? { authorization: `Bearer ${key}` } : {}) as Record<string, string>,
    secrets: providerSecrets(config),
    ...(!key && !hasAuthHeader && { configError: missingKeyError(name, 'openai', 'OPENAI_API_KEY') }),
  };
  if (api === 'responses') {
    // Responses streams always end with the usage in `response.completed`: nothing to ask for.
    const path = responsesPath(baseUrl, name);
    return createHttpProvider({ ...shared, dialect: openaiResponses, url: () => path });
  }
  const path = chatCompletionsPath(baseUrl, name);
  return createHttpProvider({ ...shared, dialect: openaiUpstream, url: () => path, body: forceStreamUsage });
}
