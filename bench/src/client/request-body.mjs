// The request a bench client sends, in either client dialect. The same body goes to the fake upstream
// directly and to the proxy; only the origin differs.
import { knobsPrompt } from '../upstream/knobs.mjs';

export const PATHS = { openai: '/v1/chat/completions', anthropic: '/v1/messages' };

const HEADERS = {
  openai: { 'content-type': 'application/json', authorization: 'Bearer bench-key' },
  anthropic: {
    'content-type': 'application/json',
    'x-api-key': 'bench-key',
    'anthropic-version': '2023-06-01',
  },
};

const cache = new Map();

/**
 * @param {{ dialect: string, model: string, stream: boolean, tokens: number, ttftMs?: number, gapMs?: number }} spec
 * @returns {{ path: string, headers: Record<string,string>, body: string }}
 */
export function requestFor(spec) {
  const { dialect, model, stream, tokens, ttftMs = 0, gapMs = 0 } = spec;
  const key = `${dialect}|${model}|${stream}|${tokens}|${ttftMs}|${gapMs}`;
  let request = cache.get(key);
  if (request) return request;
  const messages = [{ role: 'user', content: knobsPrompt({ tokens, ttftMs, gapMs }) }];
  const body =
    dialect === 'openai'
      ? {
          model,
          messages,
          max_tokens: tokens + 64,
          stream,
          ...(stream ? { stream_options: { include_usage: true } } : {}),
        }
      : { model, messages, max_tokens: tokens + 64, stream };
  request = { path: PATHS[dialect], headers: HEADERS[dialect], body: JSON.stringify(body) };
  cache.set(key, request);
  return request;
}
