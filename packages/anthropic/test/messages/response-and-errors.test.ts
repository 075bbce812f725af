import { type CanonicalResponse, type ErrorType, ProviderError } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { anthropicMessages } from '../../src/index.ts';

/** A non-stream body shaped like Anthropic's documented `message` response. */
const MESSAGE = {
  id: 'msg_01AbC',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [
    { type: 'thinking', thinking: 'Use the tool.', signature: 'sig==' },
    { type: 'redacted_thinking', data: 'opaque' },
    { type: 'text', text: 'Checking.', citations: null },
    { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
    { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: {
    input_tokens: 12,
    cache_read_input_tokens: 100,
    cache_creation_input_tokens: 0,
    output_tokens: 30,
  },
};

describe('parseResponse / encodeResponse', () => {
  test('a message body becomes a canonical response (server-tool blocks left out)', () => {
    expect(anthropicMessages.parseResponse(MESSAGE)).toEqual({
      id: 'msg_01AbC',
      model: 'claude-sonnet-4-5-20250929',
      content: [
        { type: 'reasoning', text: 'Use the tool.', signature: 'sig==' },
        { type: 'redacted-reasoning', data: 'opaque' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      ],
      finishReason: 'tool-calls',
      usage: { inputTokens: 112, outputTokens: 30, cacheReadTokens: 100, cacheWriteTokens: 0 },
    });
  });

  test('a body that is not a message is a bad_upstream error', () => {
    expect(() => anthropicMessages.parseResponse({ type: 'error' })).toThrow(
      expect.objectContaining({ type: 'bad_upstream' }),
    );
  });

  test('parse → encode gives back the message under the alias', () => {
    const canonical = anthropicMessages.parseResponse(MESSAGE);
    const body = anthropicMessages.encodeResponse(canonical, { model: 'claude-opus', id: 'msg_proxy' });
    expect(body).toEqual({
      ...MESSAGE,
      id: 'msg_proxy',
      model: 'claude-opus',
      content: [
        { type: 'thinking', thinking: 'Use the tool.', signature: 'sig==' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
      ],
    });
  });

  test('an OpenAI-shaped response: refusal as text with stop_reason refusal, usage without cache', () => {
    const response: CanonicalResponse = {
      id: 'chatcmpl-1',
      model: 'gpt-4o',
      content: [{ type: 'refusal', text: "I can't help with that." }],
      finishReason: 'stop',
      usage: { inputTokens: 9, outputTokens: 7 },
    };
    const body = anthropicMessages.encodeResponse(response, { model: 'gpt-4' });
    expect(body).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'gpt-4',
      content: [{ type: 'text', text: "I can't help with that." }],
      stop_reason: 'refusal',
      stop_sequence: null,
      usage: { input_tokens: 9, output_tokens: 7 },
    });
    expect(body.id).toMatch(/^msg_01[A-Za-z0-9]{22}$/);
  });
});

describe('encodeError / encodeErrorEvent', () => {
  test.each([
    ['invalid_request', 400, 'invalid_request_error'],
    ['authentication', 401, 'authentication_error'],
    ['permission', 403, 'permission_error'],
    ['not_found', 404, 'not_found_error'],
    ['not_acceptable', 406, 'invalid_request_error'],
    ['request_too_large', 413, 'request_too_large'],
    ['rate_limit', 429, 'rate_limit_error'],
    ['api_error', 500, 'api_error'],
    ['network', 502, 'api_error'],
    ['bad_upstream', 502, 'api_error'],
    ['timeout', 504, 'timeout_error'],
    ['overloaded', 529, 'overloaded_error'],
  ] as Array<[ErrorType, number, string]>)('%s → HTTP %i %s', (type, status, wireType) => {
    const error = new ProviderError({ type, message: 'Something failed' });
    expect(anthropicMessages.encodeError(error)).toEqual({
      status,
      body: { type: 'error', error: { type: wireType, message: 'Something failed' } },
    });
    const event = anthropicMessages.encodeErrorEvent(error);
    expect(event.event).toBe('error');
    expect(JSON.parse(event.data)).toEqual({
      type: 'error',
      error: { type: wireType, message: 'Something failed' },
    });
  });
});

describe('parseError', () => {
  test('an Anthropic error body keeps the upstream status, type and message', () => {
    const error = anthropicMessages.parseError(
      529,
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_1' },
      'anthropic',
    );
    expect(error).toMatchObject({
      type: 'overloaded',
      status: 529,
      message: 'Overloaded',
      provider: 'anthropic',
      code: 'overloaded_error',
      retryable: true,
    });
  });

  test('a 400 is not retryable', () => {
    const error = anthropicMessages.parseError(
      400,
      { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } },
      'anthropic',
    );
    expect(error).toMatchObject({ type: 'invalid_request', status: 400, retryable: false });
  });

  test('JSON given as text, plain text and an empty body', () => {
    expect(
      anthropicMessages.parseError(
        401,
        '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
        'a',
      ),
    ).toMatchObject({ type: 'authentication', status: 401, message: 'invalid x-api-key' });
    expect(anthropicMessages.parseError(502, '<html>Bad Gateway</html>', 'a')).toMatchObject({
      type: 'api_error',
      status: 502,
      message: 'upstream a answered HTTP 502: <html>Bad Gateway</html>',
      retryable: true,
    });
    expect(anthropicMessages.parseError(503, '', 'a')).toMatchObject({
      type: 'overloaded',
      status: 503,
      message: 'upstream a answered HTTP 503',
    });
    expect(anthropicMessages.parseError(500, undefined, 'a')).toMatchObject({
      type: 'api_error',
      status: 500,
    });
  });
});
