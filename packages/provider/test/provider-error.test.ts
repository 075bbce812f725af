import { expect, test } from 'vitest';
import { ProviderError } from '../src/index.ts';

test('with() copies every field and replaces only what it is given; the original is untouched', () => {
  const original = new ProviderError({
    type: 'rate_limit',
    message: 'slow down',
    provider: 'openai',
    code: 'rate_limit_exceeded',
    retryAfter: 2,
    param: 'model',
  });
  const copy = original.with({ message: 'slow down, [redacted]' });
  expect(copy).not.toBe(original);
  expect(copy).toBeInstanceOf(ProviderError);
  expect({ ...copy, message: copy.message }).toEqual({ ...original, message: 'slow down, [redacted]' });
  expect(copy.status).toBe(429);
  expect(copy.retryable).toBe(true);
  expect(original.message).toBe('slow down');
});
