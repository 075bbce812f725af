/** Errors both ways: ProviderError → OpenAI error bodies, and upstream non-2xx bodies → ProviderError. */

import { type ErrorType, ProviderError } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { openaiChat } from '../../src/index.ts';

describe('encodeError', () => {
  test.each<[ErrorType, number, string]>([
    ['invalid_request', 400, 'invalid_request_error'],
    ['authentication', 401, 'authentication_error'],
    ['permission', 403, 'permission_error'],
    ['not_found', 404, 'not_found_error'],
    ['request_too_large', 413, 'invalid_request_error'],
    ['not_acceptable', 406, 'invalid_request_error'],
    ['rate_limit', 429, 'rate_limit_error'],
    ['overloaded', 503, 'server_error'],
    ['timeout', 504, 'server_error'],
    ['network', 502, 'server_error'],
    ['bad_upstream', 502, 'server_error'],
    ['api_error', 500, 'server_error'],
  ])('%s → HTTP %i, type %s', (type, status, wireType) => {
    const encoded = openaiChat.encodeError(new ProviderError({ type, message: 'Something happened' }));
    expect(encoded).toEqual({
      status,
      body: { error: { message: 'Something happened', type: wireType, param: null, code: null } },
    });
  });

  test('keeps param, code and an explicit upstream status', () => {
    const error = new ProviderError({ type: 'api_error', status: 502, message: 'm', code: 'c', param: 'p' });
    expect(openaiChat.encodeError(error)).toEqual({
      status: 502,
      body: { error: { message: 'm', type: 'server_error', param: 'p', code: 'c' } },
    });
    expect(JSON.parse(openaiChat.encodeErrorEvent(error).data)).toEqual({
      error: { message: 'm', type: 'server_error', param: 'p', code: 'c' },
    });
    expect(openaiChat.encodeErrorEvent(error).event).toBeUndefined();
  });
});

describe('parseError', () => {
  test('an OpenAI JSON error keeps status, type, code, param and message', () => {
    const error = openaiChat.parseError(
      400,
      {
        error: {
          message: "This model's maximum context length is 8192 tokens.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      },
      'openai',
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      type: 'invalid_request',
      status: 400,
      provider: 'openai',
      code: 'context_length_exceeded',
      param: 'messages',
      retryable: false,
      message: "This model's maximum context length is 8192 tokens.",
    });
  });

  test('429 is retryable, except insufficient_quota', () => {
    const limited = openaiChat.parseError(
      429,
      '{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}',
      'openai',
    );
    expect(limited).toMatchObject({
      type: 'rate_limit',
      status: 429,
      retryable: true,
      code: 'rate_limit_exceeded',
    });
    const quota = openaiChat.parseError(
      429,
      {
        error: {
          message: 'You exceeded your current quota',
          type: 'insufficient_quota',
          code: 'insufficient_quota',
        },
      },
      'openai',
    );
    expect(quota).toMatchObject({ type: 'rate_limit', status: 429, retryable: false });
  });

  test('5xx and 503 are retryable', () => {
    expect(
      openaiChat.parseError(500, { error: { message: 'boom', type: 'server_error' } }, 'p'),
    ).toMatchObject({ type: 'api_error', retryable: true });
    expect(openaiChat.parseError(503, 'Service Unavailable', 'p')).toMatchObject({
      type: 'overloaded',
      status: 503,
      retryable: true,
      message: 'upstream p answered HTTP 503: Service Unavailable',
    });
  });

  test('other shapes: bytes, vLLM objects, FastAPI detail, string error, empty', () => {
    const bytes = new TextEncoder().encode(
      '{"error":{"message":"bad key","type":"invalid_request_error","code":"invalid_api_key"}}',
    );
    expect(openaiChat.parseError(401, bytes, 'p')).toMatchObject({
      type: 'authentication',
      status: 401,
      code: 'invalid_api_key',
      message: 'bad key',
    });
    expect(
      openaiChat.parseError(
        404,
        { object: 'error', message: 'The model `x` does not exist.', type: 'NotFoundError', code: 404 },
        'vllm',
      ),
    ).toMatchObject({
      type: 'not_found',
      message: 'The model `x` does not exist.',
      code: undefined,
    });
    expect(openaiChat.parseError(422, { detail: 'Field required' }, 'p')).toMatchObject({
      type: 'invalid_request',
      status: 422,
      message: 'Field required',
    });
    expect(
      openaiChat.parseError(404, { error: 'model "llama9" not found, try pulling it first' }, 'ollama'),
    ).toMatchObject({
      type: 'not_found',
      message: 'model "llama9" not found, try pulling it first',
    });
    expect(openaiChat.parseError(502, '', 'p')).toMatchObject({
      type: 'api_error',
      status: 502,
      message: 'upstream p answered HTTP 502',
    });
    expect(openaiChat.parseError(500, undefined, 'p').message).toBe('upstream p answered HTTP 500');
    // A text body (an HTML error page) is worded as every provider words it.
    expect(openaiChat.parseError(502, '<html>Bad Gateway</html>', 'p')).toMatchObject({
      type: 'api_error',
      status: 502,
      message: 'upstream p answered HTTP 502: <html>Bad Gateway</html>',
    });
  });

  test('a key echoed by the upstream is masked; long text bodies are cut', () => {
    const error = openaiChat.parseError(
      401,
      {
        error: {
          message:
            'Incorrect API key provided: sk-proj-abcdefghijklmnop1234. You can find your API key at https://platform.openai.com/account/api-keys.',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      },
      'openai',
    );
    expect(error.message).not.toContain('abcdefghijklmnop1234');
    expect(error.message).toContain('Incorrect API key provided: sk-***');
    expect(openaiChat.parseError(500, `<html>${'x'.repeat(5000)}</html>`, 'p').message).toBe(
      `upstream p answered HTTP 500: <html>${'x'.repeat(494)}`,
    );
  });
});
