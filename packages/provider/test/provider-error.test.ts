import { expect, test } from 'vitest';
import { ProviderError, toProviderError } from '../src/index.ts';

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

test('a ProviderError from another copy of this module is recognised by its brand, not its prototype', async () => {
  // A provider package installed in its own folder gets its own copy of @tokenpak/provider; the query makes
  // the module load (and its class be created) a second time.
  const secondCopy = '../src/errors.ts?second-copy';
  const other = (await import(secondCopy)) as typeof import('../src/errors.ts');
  expect(other.ProviderError).not.toBe(ProviderError);
  const foreign = new other.ProviderError({ type: 'authentication', message: 'bad key', status: 401 });
  expect(Object.getPrototypeOf(foreign)).not.toBe(ProviderError.prototype);
  expect(ProviderError.isProviderError(foreign)).toBe(true);
  expect(foreign).toBeInstanceOf(ProviderError);
  expect(new ProviderError({ type: 'timeout', message: 'slow' })).toBeInstanceOf(other.ProviderError);
  // toProviderError keeps it as it is (not a 500 api_error wrapping it).
  expect(toProviderError(foreign, 'echo')).toBe(foreign);
  expect(ProviderError.isProviderError(new Error('plain'))).toBe(false);
  expect(ProviderError.isProviderError({ type: 'authentication', status: 401 })).toBe(false);
  expect(ProviderError.isProviderError(null)).toBe(false);
});

test('instanceof a subclass of ProviderError stays a prototype check', () => {
  class QuotaError extends ProviderError {}
  const plain = new ProviderError({ type: 'rate_limit', message: 'slow down' });
  const quota = new QuotaError({ type: 'rate_limit', message: 'out of quota' });
  expect(plain).not.toBeInstanceOf(QuotaError);
  expect(quota).toBeInstanceOf(QuotaError);
  expect(quota).toBeInstanceOf(ProviderError);
});
