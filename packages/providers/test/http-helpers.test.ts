import { messagesPath } from '@tokenpak/anthropic';
import { chatCompletionsPath } from '@tokenpak/openai';
import { ProviderError } from '@tokenpak/provider';
import type { UpstreamResponse } from '@tokenpak/provider-utils';
import {
  ERROR_BODY_LIMIT,
  errorFromResponse,
  parseBaseUrl,
  parseRetryAfter,
  redactText,
} from '@tokenpak/provider-utils';
import { describe, expect, test } from 'vitest';

/** Where each dialect's calls go: the path rules of @tokenpak/openai and @tokenpak/anthropic. */
describe('chatCompletionsPath / messagesPath / parseBaseUrl', () => {
  test.each([
    ['https://api.openai.com/v1', 'https://api.openai.com', '/v1/chat/completions'],
    ['https://api.openai.com/v1/', 'https://api.openai.com', '/v1/chat/completions'],
    ['https://api.openai.com', 'https://api.openai.com', '/v1/chat/completions'],
    ['http://localhost:11434/v1', 'http://localhost:11434', '/v1/chat/completions'],
    ['https://api.groq.com/openai/v1', 'https://api.groq.com', '/openai/v1/chat/completions'],
    ['https://openrouter.ai/api/v1/chat/completions', 'https://openrouter.ai', '/api/v1/chat/completions'],
    [
      'https://x.openai.azure.com/openai/deployments/gpt4o?api-version=2024-10-21',
      'https://x.openai.azure.com',
      '/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21',
    ],
  ])('openai-chat %s → %s%s', (base, origin, path) => {
    expect(parseBaseUrl(base, 'p').origin).toBe(origin);
    expect(chatCompletionsPath(base, 'p')).toBe(path);
  });

  test.each([
    ['https://api.anthropic.com', '/v1/messages'],
    ['https://api.anthropic.com/', '/v1/messages'],
    ['https://api.anthropic.com/v1', '/v1/messages'],
    ['https://api.anthropic.com/v1/', '/v1/messages'],
    ['https://gateway.example.com/anthropic', '/anthropic/v1/messages'],
    ['https://gateway.example.com/anthropic/v1/messages', '/anthropic/v1/messages'],
    ['https://gateway.example.com/anthropic?tenant=a', '/anthropic/v1/messages?tenant=a'],
  ])('anthropic-messages %s → %s', (base, path) => {
    expect(messagesPath(base, 'p')).toBe(path);
  });

  test('a relative or non-http base URL is refused with the setting named', () => {
    expect(() => chatCompletionsPath('localhost:8080', 'local')).toThrow(
      'providers.local.base_url must use http or https (got localhost:)',
    );
    expect(() => messagesPath('/v1', 'local')).toThrow(
      'providers.local.base_url must be an absolute http(s) URL (got "/v1")',
    );
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  test.each([
    ['7', undefined, 7],
    ['1.2', undefined, 2],
    ['Thu, 01 Jan 2026 00:00:30 GMT', undefined, 30],
    ['Wed, 31 Dec 2025 23:00:00 GMT', undefined, 0],
    ['soon', undefined, undefined],
    [undefined, '1500', 2],
    ['9', '250', 1],
    [undefined, undefined, undefined],
  ])('retry-after %j, retry-after-ms %j → %j', (header, ms, expected) => {
    expect(parseRetryAfter(header, ms, now)).toBe(expected);
  });
});

describe('errorFromResponse', () => {
  const echoDialect = {
    parseError: (status: number, body: unknown, provider: string) =>
      new ProviderError({
        type: 'api_error',
        status,
        provider,
        message: typeof body === 'string' ? body : JSON.stringify(body),
      }),
  };
  const response = (
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ): UpstreamResponse => ({
    status,
    headers,
    body: new Response(body).body!,
  });

  test('secrets are redacted from whatever the dialect made of the body', async () => {
    const error = await errorFromResponse(response(500, 'bad key sk-live-123456 used'), {
      dialect: echoDialect,
      provider: 'p',
      secrets: ['sk-live-123456'],
    });
    expect(error.message).toBe('bad key [redacted] used');
    expect(redactText('key abcd, x', ['abcd', 'x'])).toBe('key [redacted], x');
  });

  test('JSON bodies reach the dialect parsed; retry-after is added when the dialect has none', async () => {
    const error = await errorFromResponse(response(429, '{"error":"slow down"}', { 'retry-after': '3' }), {
      dialect: echoDialect,
      provider: 'p',
      secrets: [],
    });
    expect(error).toMatchObject({ message: '{"error":"slow down"}', retryAfter: 3, status: 429 });
  });

  test('a huge body is read only up to the limit', async () => {
    const error = await errorFromResponse(response(500, 'x'.repeat(ERROR_BODY_LIMIT * 3)), {
      dialect: echoDialect,
      provider: 'p',
      secrets: [],
    });
    expect(error.message.length).toBe(ERROR_BODY_LIMIT);
  });

  test('a dialect that throws still yields an error with the status', async () => {
    const throwing = {
      parseError: (): ProviderError => {
        throw new Error('boom');
      },
    };
    const error = await errorFromResponse(response(503, 'Service Unavailable'), {
      dialect: throwing,
      provider: 'p',
      secrets: [],
    });
    expect(error).toMatchObject({
      type: 'overloaded',
      status: 503,
      message: 'upstream p answered HTTP 503: Service Unavailable',
    });
  });
});
