/** providerSecrets: what a provider entry holds that must never be seen (values in, values out). */
import { expect, test } from 'vitest';
import { providerSecrets } from '../src/http-provider/provider-secrets.ts';
import { providerEntry } from '../src/test/call-context.ts';

test('the API key, auth-like headers (and a Bearer token alone), credential options', () => {
  const secrets = providerSecrets(
    providerEntry({
      type: 'bedrock',
      api_key: 'key-0001',
      access_key_id: 'AKIAEXAMPLE',
      secret_access_key: 'aws-secret-0002',
      session_token: 'aws-session-0003',
      client_secret: 'client-secret-0004',
      password: 'pw-0005',
      max_tokens: 'not a secret',
      default_max_tokens: 4096,
      region: 'us-east-1',
      headers: { Authorization: 'Bearer tok-0006', 'X-Trace': 'trace-0007' },
    }),
  );
  expect(secrets.sort()).toEqual(
    [
      'key-0001',
      'aws-secret-0002',
      'aws-session-0003',
      'client-secret-0004',
      'pw-0005',
      'Bearer tok-0006',
      'tok-0006',
    ].sort(),
  );
});
