/** `type: openai`: OpenAI's Chat Completions API (https://api.openai.com/v1/chat/completions). */

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
  const path = chatCompletionsPath(baseUrl, name);
  return createHttpProvider({
    name,
    type: 'openai',
    dialect: openaiUpstream,
    baseUrl,
    url: () => path,
    config,
    headers: key ? { authorization: `Bearer ${key}` } : {},
    secrets: providerSecrets(config),
    ...(!key && !hasAuthHeader && { configError: missingKeyError(name, 'openai', 'OPENAI_API_KEY') }),
    body: forceStreamUsage,
  });
}
