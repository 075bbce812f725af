/** How a bedrock provider authenticates (resolveAuth), and credentials resolved once and kept until expiry. */
import { describe, expect, test } from 'vitest';
import { type AwsCredentials, cachedCredentials, resolveAuth } from '../src/index.ts';

describe('resolveAuth: api_key, then static keys, then AWS_BEARER_TOKEN_BEDROCK, then the default chain', () => {
  const keys = { access_key_id: 'AKIA1', secret_access_key: 's3cr3t' };

  test.each([
    [
      'api_key',
      { api_key: 'bedrock-api-key-1' },
      {},
      { kind: 'bearer', token: 'bedrock-api-key-1', from: 'api_key' },
    ],
    [
      'static keys (+ session token)',
      { ...keys, session_token: 'tok' },
      { AWS_BEARER_TOKEN_BEDROCK: 'env-token' },
      {
        kind: 'static',
        credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's3cr3t', sessionToken: 'tok' },
      },
    ],
    [
      'the environment token',
      {},
      { AWS_BEARER_TOKEN_BEDROCK: 'env-token' },
      { kind: 'bearer', token: 'env-token', from: 'AWS_BEARER_TOKEN_BEDROCK' },
    ],
    [
      'a profile wins over the environment token',
      { profile: 'dev' },
      { AWS_BEARER_TOKEN_BEDROCK: 'x' },
      { kind: 'chain', profile: 'dev' },
    ],
    ['nothing: the default chain', {}, {}, { kind: 'chain' }],
  ])('%s', (_name, settings, env, auth) => {
    expect(resolveAuth(settings, env, 'aws')).toEqual(auth);
  });

  test('contradictions are errors naming the options', () => {
    expect(() => resolveAuth({ api_key: 'k', ...keys }, {}, 'aws')).toThrow(
      'providers.aws.api_key (a Bedrock API key) cannot go with access_key_id',
    );
    expect(() => resolveAuth({ access_key_id: 'AKIA1' }, {}, 'aws')).toThrow(
      'providers.aws: access_key_id and secret_access_key go together',
    );
  });
});

describe('cachedCredentials', () => {
  const creds = (n: number, expiration?: Date): AwsCredentials => ({
    accessKeyId: `AKIA${n}`,
    secretAccessKey: `secret${n}`,
    ...(expiration && { expiration }),
  });

  test('resolved on the first call only, shared by calls in flight, kept while valid', async () => {
    let loads = 0;
    const source = cachedCredentials(async () => creds(++loads));
    expect(loads).toBe(0);
    const all = await Promise.all([source(), source(), source()]);
    expect(all.map((c) => c.accessKeyId)).toEqual(['AKIA1', 'AKIA1', 'AKIA1']);
    expect((await source()).accessKeyId).toBe('AKIA1');
    expect(loads).toBe(1);
  });

  test('resolved again within 5 minutes of their expiration', async () => {
    let now = 0;
    let loads = 0;
    const source = cachedCredentials(async () => creds(++loads, new Date(now + 60 * 60_000)), {
      now: () => now,
    });
    expect((await source()).accessKeyId).toBe('AKIA1');
    now += 50 * 60_000;
    expect((await source()).accessKeyId).toBe('AKIA1');
    now += 6 * 60_000; // 4 minutes left
    expect((await source()).accessKeyId).toBe('AKIA2');
  });

  test('a failure is not kept: the next call tries again', async () => {
    let loads = 0;
    const source = cachedCredentials(async () => {
      loads++;
      if (loads === 1) throw new Error('Could not load credentials from any providers');
      return creds(loads);
    });
    await expect(source()).rejects.toThrow('Could not load credentials');
    expect((await source()).accessKeyId).toBe('AKIA2');
  });
});
