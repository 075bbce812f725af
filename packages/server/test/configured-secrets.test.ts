/**
 * The secrets the server masks in error bodies, log lines and /health are those the providers mask in their
 * own errors (`providerSecrets`: API keys, auth-like headers, credential options such as Bedrock's), and the
 * client keys: one list.
 */
import { providerSecrets } from '@tokenpak/providers';
import { expect, test } from 'vitest';
import { configuredSecrets } from '../src/http/configured-secrets.ts';
import { createRedactor } from '../src/http/redact.ts';
import { configFrom } from './helpers/config.ts';

const config = configFrom(
  `
server:
  api_keys: ["client-key-0001"]
providers:
  aws:
    type: bedrock
    region: us-east-1
    access_key_id: AKIAEXAMPLE0001
    secret_access_key: "\${AWS_SECRET_ACCESS_KEY}"
    session_token: "\${AWS_SESSION_TOKEN}"
  gateway:
    type: openai-compatible
    base_url: http://127.0.0.1:1/v1
    headers: { X-Api-Key: "gw-header-key-0002", Authorization: "Bearer gw-bearer-0003", X-Trace: "not-secret" }
models:
  m: { provider: aws }
`,
  { AWS_SECRET_ACCESS_KEY: 'aws-secret-0004', AWS_SESSION_TOKEN: 'aws-session-0005' },
);

test('every secret of every provider entry, and the client keys', () => {
  expect(configuredSecrets(config).sort()).toEqual(
    [
      'Bearer gw-bearer-0003',
      'aws-secret-0004',
      'aws-session-0005',
      'client-key-0001',
      'gw-bearer-0003',
      'gw-header-key-0002',
    ].sort(),
  );
});

test('the same list as the providers redact their own errors with', () => {
  const fromProviders = Object.values(config.providers).flatMap((entry) => providerSecrets(entry));
  expect(new Set(configuredSecrets(config))).toEqual(new Set(fromProviders.concat('client-key-0001')));
});

test('the redactor masks them all, the Bearer form whole', () => {
  const redact = createRedactor(configuredSecrets(config));
  expect(
    redact(
      'sig aws-secret-0004 tok aws-session-0005 hdr gw-header-key-0002 auth Bearer gw-bearer-0003 client-key-0001 not-secret',
    ),
  ).toBe('sig [redacted] tok [redacted] hdr [redacted] auth [redacted] [redacted] not-secret');
});
