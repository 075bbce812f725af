/**
 * The fake Bedrock's signature check is a real one: a request signed by the provider's signer passes, and
 * any change after signing (the body, its hash, a signed header, the path, the key) is refused as AWS would.
 */
import { createHash } from 'node:crypto';
import type { RecordedRequest } from '@tokenpak/provider-utils/test';
import { describe, expect, test } from 'vitest';
import { createSigV4Signer } from '../src/index.ts';
import { verifySigV4 } from './helpers/verify-sigv4.ts';

const KEYS = { AKIAEXAMPLE: { secretAccessKey: 'secret/EXAMPLE+key' } };
const url = new URL('http://127.0.0.1:8123/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse');
const body = '{"messages":[{"role":"user","content":[{"text":"héllo"}]}]}';

async function signed(): Promise<RecordedRequest> {
  const sign = createSigV4Signer({
    region: 'eu-west-1',
    provider: 'aws',
    credentials: async () => ({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret/EXAMPLE+key' }),
  });
  const headers = await sign({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body });
  return {
    method: 'POST',
    url: url.pathname,
    headers,
    body,
    json: JSON.parse(body),
    remotePort: 0,
    closed: Promise.resolve({ finished: true }),
  };
}

describe('verifySigV4', () => {
  test('a request signed by the provider passes, scoped to the region and bedrock', async () => {
    expect(await verifySigV4(await signed(), KEYS)).toEqual({
      ok: true,
      accessKeyId: 'AKIAEXAMPLE',
      region: 'eu-west-1',
      signedHeaders: ['content-type', 'host', 'x-amz-content-sha256', 'x-amz-date'],
    });
  });

  test.each([
    ['the body changed', (r: RecordedRequest) => ({ ...r, body: r.body.replace('héllo', 'hello') })],
    [
      'the body and its hash changed',
      (r: RecordedRequest) => {
        const other = r.body.replace('héllo', 'hello');
        const hash = createHash('sha256').update(other).digest('hex');
        return { ...r, body: other, headers: { ...r.headers, 'x-amz-content-sha256': hash } };
      },
    ],
    [
      'a signed header changed',
      (r: RecordedRequest) => ({ ...r, headers: { ...r.headers, 'content-type': 'text/plain' } }),
    ],
    [
      'the path changed',
      (r: RecordedRequest) => ({ ...r, url: r.url.replace('converse', 'converse-stream') }),
    ],
  ])('%s: 403 InvalidSignatureException', async (_name, tamper) => {
    expect(await verifySigV4(tamper(await signed()), KEYS)).toMatchObject({
      ok: false,
      status: 403,
      errorType: 'InvalidSignatureException',
    });
  });

  test('an unknown access key, and no signature at all', async () => {
    expect(await verifySigV4(await signed(), {})).toMatchObject({ errorType: 'UnrecognizedClientException' });
    const request = await signed();
    const { authorization: _, ...unsigned } = request.headers;
    expect(await verifySigV4({ ...request, headers: unsigned }, KEYS)).toMatchObject({
      errorType: 'MissingAuthenticationTokenException',
    });
  });
});
