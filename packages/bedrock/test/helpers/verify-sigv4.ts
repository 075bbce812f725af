/**
 * What AWS does with a signed request, for the fake upstream: recompute the SigV4 signature of the request as
 * received (method, raw path and query, the headers named in SignedHeaders, the body's SHA-256) with the same
 * signer and the secret the fake knows for the access key, and compare it with the Authorization header.
 */
import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RecordedRequest } from '@tokenpak/provider-utils/test';

export interface KnownKey {
  secretAccessKey: string;
  /** Temporary credentials: the token that must come in x-amz-security-token. */
  sessionToken?: string;
}

export type Verdict =
  | { ok: true; accessKeyId: string; region: string; signedHeaders: string[] }
  | { ok: false; status: number; errorType: string; message: string };

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

const refuse = (errorType: string, message: string, status = 403): Verdict => ({
  ok: false,
  status,
  errorType,
  message,
});

/** `20250102T030405Z` → Date. */
function amzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
}

export async function verifySigV4(
  request: RecordedRequest,
  keys: Readonly<Record<string, KnownKey>>,
  service = 'bedrock',
): Promise<Verdict> {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const authorization = header('authorization');
  if (!authorization) return refuse('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const parts = AUTH.exec(authorization);
  if (!parts)
    return refuse('IncompleteSignatureException', `Authorization header is malformed: ${authorization}`, 400);
  const [, accessKeyId, day, region, signedService, signedList] = parts as unknown as string[];
  const key = keys[accessKeyId as string];
  if (!key)
    return refuse('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (signedService !== service)
    return refuse('InvalidSignatureException', `Credential should be scoped to ${service}`);
  if (key.sessionToken !== undefined && header('x-amz-security-token') !== key.sessionToken) {
    return refuse('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  const date = amzDate(header('x-amz-date') ?? '');
  const dateDay = date?.toISOString().slice(0, 10).replaceAll('-', '');
  if (!date || dateDay !== day) {
    return refuse(
      'IncompleteSignatureException',
      'x-amz-date is missing or does not match the credential scope',
      400,
    );
  }
  if (Math.abs(Date.now() - date.getTime()) > 5 * 60_000) {
    return refuse(
      'InvalidSignatureException',
      'Signature expired: the request time is more than 5 minutes off',
    );
  }
  // The signer trusts x-amz-content-sha256 when it is given: check it against the bytes that came.
  const bodyHash = createHash('sha256').update(Buffer.from(request.body, 'utf8')).digest('hex');
  if (header('x-amz-content-sha256') !== bodyHash) {
    return refuse(
      'InvalidSignatureException',
      'The provided x-amz-content-sha256 header does not match the body',
    );
  }
  const signedHeaders = (signedList as string).split(';');
  for (const required of ['host', 'x-amz-date']) {
    if (!signedHeaders.includes(required)) {
      return refuse('InvalidSignatureException', `Signed headers must include ${required}`);
    }
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = header(name) ?? '';
  const url = new URL(request.url, `http://${header('host')}`);
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = value;
  const signer = new SignatureV4({
    service,
    region: region as string,
    sha256: Sha256,
    credentials: {
      accessKeyId: accessKeyId as string,
      secretAccessKey: key.secretAccessKey,
      ...(key.sessionToken !== undefined && { sessionToken: key.sessionToken }),
    },
  });
  const expected = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: url.hostname,
      ...(url.port !== '' && { port: Number(url.port) }),
      // The path exactly as received: AWS signs the raw (already encoded) path, encoded once more.
      path: request.url.split('?')[0] as string,
      query,
      headers,
      body: request.body,
    },
    { signingDate: date },
  );
  if (expected.headers.authorization !== authorization) {
    return refuse(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return { ok: true, accessKeyId: accessKeyId as string, region: region as string, signedHeaders };
}
