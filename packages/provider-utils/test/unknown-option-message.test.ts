import { describe, expect, test } from 'vitest';
import { closestName, unknownOptionMessage } from '../src/index.ts';

describe('unknownOptionMessage', () => {
  test.each([
    ['greting', ['greeting', 'max_words'], undefined, "unknown option (did you mean 'greeting'?)"],
    ['max_wrods', ['greeting', 'max_words'], undefined, "unknown option (did you mean 'max_words'?)"],
    ['Region', ['region', 'profile'], 'bedrock', "unknown option (did you mean 'region'?)"],
    ['colour', ['greeting', 'max_words'], undefined, 'unknown option (options: greeting, max_words)'],
    [
      'temperature',
      ['keep_alive', 'num_ctx', 'think'],
      'ollama',
      'unknown option (type ollama takes: keep_alive, num_ctx, think)',
    ],
  ])('%s among %j', (key, names, type, message) => {
    expect(unknownOptionMessage(key, names, type)).toBe(message);
  });

  test('a short key needs a close match; nothing is suggested from no names', () => {
    expect(closestName('ab', ['xy', 'abc'])).toBe('abc');
    expect(closestName('ab', ['xyz'])).toBeUndefined();
    expect(closestName('anything', [])).toBeUndefined();
  });
});
