import { describe, expect, test } from 'vitest';
import { closestName, unknownOptionMessage } from '../src/index.ts';

describe('unknownOptionMessage', () => {
  test.each([
    ['greting', ['greeting', 'max_words'], undefined, "is not an option (did you mean 'greeting'?)"],
    ['max_wrods', ['greeting', 'max_words'], undefined, "is not an option (did you mean 'max_words'?)"],
    ['Region', ['region', 'profile'], 'bedrock', "is not an option of type bedrock (did you mean 'region'?)"],
    ['timout_ms', ['region'], 'bedrock', "is not an option of type bedrock (did you mean 'timeout_ms'?)"],
    ['latency', ['latency_ms'], 'mock', "is not an option of type mock (did you mean 'latency_ms'?)"],
    [
      'colour',
      ['greeting', 'max_words'],
      undefined,
      'is not an option; its options: greeting, max_words (besides the common ones: api_key, base_url, ' +
        'supports_streaming, timeout_ms, connect_timeout_ms, idle_timeout_ms, first_token_timeout_ms, ' +
        'max_retries, retry_base_ms, retry_max_ms, headers)',
    ],
    [
      'temperature',
      ['keep_alive', 'num_ctx', 'think'],
      'ollama',
      expect.stringMatching(
        /^is not an option of type ollama; its options: keep_alive, num_ctx, think \(besides/,
      ),
    ],
  ])('%s among %j', (key, names, type, message) => {
    expect(unknownOptionMessage(key, names, type)).toEqual(message);
  });

  test('a short key needs a close match; nothing is suggested from no names', () => {
    expect(closestName('ab', ['xy', 'abc'])).toBe('abc');
    expect(closestName('ab', ['xyz'])).toBeUndefined();
    expect(closestName('anything', [])).toBeUndefined();
  });
});
