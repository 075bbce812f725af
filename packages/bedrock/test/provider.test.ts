/**
 * The bedrock provider over real HTTP against the fake Bedrock (SigV4 checked as AWS does): where calls go,
 * what is signed, the Bedrock API key, credentials from the default chain (resolved once, lazily), Converse
 * answers, errors before the stream, a stream cut short, timeouts, abort, the options and the package export.
 */
import type { Provider, ProviderConfigEntry } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { callContext, collectEvents, providerEntry, userRequest } from '@tokenpak/provider-utils/test';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import bedrock, {
  type AwsCredentials,
  type BedrockEnvironment,
  bedrockEndpoint,
  createBedrockProvider,
  encodeModelId,
  optionsSchema,
  regionOfUrl,
} from '../src/index.ts';
import { EVENT_STREAM, type FakeBedrock, startFakeBedrock } from './helpers/fake-bedrock.ts';
import { converseFixture, encodeFrames, errorFixture, streamFixture } from './helpers/fixtures.ts';

const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TEMP_KEY = 'ASIAQXAMPLETEMPORARY';
const TEMP_SECRET = 'tEmPoRaRySeCrEt/kEy+EXAMPLE';
const SESSION = 'IQoJb3JpZ2luX2VjEXAMPLE-session-token';
const API_KEY = 'ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl';
const CLAUDE = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const text = streamFixture('text');

let upstream: FakeBedrock;
const providers: Provider[] = [];

function make(
  extra: Partial<ProviderConfigEntry> = {},
  environment: BedrockEnvironment = { env: {} },
): Provider {
  const provider = createBedrockProvider(
    {
      name: 'aws',
      config: providerEntry({
        type: 'bedrock',
        base_url: upstream.url,
        region: 'us-east-1',
        access_key_id: ACCESS_KEY,
        secret_access_key: SECRET,
        ...extra,
      }),
    },
    environment,
  );
  providers.push(provider);
  return provider;
}

beforeAll(async () => {
  upstream = await startFakeBedrock({
    keys: {
      [ACCESS_KEY]: { secretAccessKey: SECRET },
      [TEMP_KEY]: { secretAccessKey: TEMP_SECRET, sessionToken: SESSION },
    },
    apiKeys: [API_KEY],
  });
});

afterAll(async () => {
  for (const provider of providers) await provider.close?.();
  await upstream.close();
});

const header = (i: number, name: string) => upstream.requests[i]?.headers[name];

describe('calls and signing', () => {
  test('ConverseStream: POST {base}/model/{encoded id}/converse-stream, SigV4 over host, date and the body hash', async () => {
    upstream.answer({ stream: text });
    const before = upstream.requests.length;
    const model =
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0';
    const { summary } = await collectEvents(
      await make().stream(
        userRequest('Hello', { system: 'Be brief.', maxTokens: 64 }),
        callContext({ model }),
      ),
    );
    expect(summary.text).toBe('The capital of France is Paris — once «Lutèce». 🇫🇷');
    const request = upstream.requests[before];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(`/model/${encodeModelId(model)}/converse-stream`);
    expect(request?.url).toContain(
      'arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.',
    );
    expect(upstream.verdicts.at(-1)).toEqual({ ok: true, how: 'sigv4' });
    expect(header(before, 'authorization')).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect(request?.json).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Hello' }] }],
      system: [{ text: 'Be brief.' }],
      inferenceConfig: { maxTokens: 64 },
    });
  });

  test('Converse (complete): POST …/converse, the JSON answer parsed', async () => {
    upstream.answer({ converse: converseFixture('text') });
    const before = upstream.requests.length;
    const response = await make().complete(
      userRequest('Hi', { stream: false }),
      callContext({ model: CLAUDE }),
    );
    expect(upstream.requests[before]?.url).toBe(`/model/${encodeURIComponent(CLAUDE)}/converse`);
    expect(upstream.verdicts.at(-1)?.ok).toBe(true);
    expect(response).toMatchObject({
      content: [{ type: 'text', text: 'The capital of France is Paris.' }],
      finishReason: 'stop',
      usage: { inputTokens: 14, outputTokens: 9 },
    });
  });

  test('temporary credentials: x-amz-security-token is sent and signed', async () => {
    upstream.answer({ converse: converseFixture('text') });
    const before = upstream.requests.length;
    await make({ access_key_id: TEMP_KEY, secret_access_key: TEMP_SECRET, session_token: SESSION }).complete(
      userRequest('Hi'),
      callContext({ model: CLAUDE }),
    );
    expect(upstream.verdicts.at(-1)?.ok).toBe(true);
    expect(header(before, 'x-amz-security-token')).toBe(SESSION);
    expect(header(before, 'authorization')).toContain('x-amz-security-token');
  });

  test('config headers are sent and signed too', async () => {
    upstream.answer({ converse: converseFixture('text') });
    const before = upstream.requests.length;
    await make({ headers: { 'X-Amzn-Bedrock-Trace': 'ENABLED' } }).complete(userRequest('Hi'), callContext());
    expect(upstream.verdicts.at(-1)?.ok).toBe(true);
    expect(header(before, 'x-amzn-bedrock-trace')).toBe('ENABLED');
    expect(header(before, 'authorization')).toContain('x-amzn-bedrock-trace');
  });

  test('a wrong secret: 403 InvalidSignatureException → authentication, the secret in no message', async () => {
    upstream.answer({ converse: converseFixture('text') });
    const error = await make({ secret_access_key: 'not-the-secret-key' })
      .complete(userRequest('Hi'), callContext())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      type: 'authentication',
      status: 403,
      code: 'InvalidSignatureException',
      retryable: false,
      provider: 'aws',
    });
    expect((error as Error).message).toContain('The request signature we calculated does not match');
    expect(upstream.verdicts.at(-1)).toEqual({
      ok: false,
      how: 'sigv4',
      errorType: 'InvalidSignatureException',
    });
  });

  test('an unknown access key: 403 UnrecognizedClientException → authentication', async () => {
    await expect(
      make({ access_key_id: 'AKIAUNKNOWN000000000' }).stream(userRequest('Hi'), callContext()),
    ).rejects.toMatchObject({ type: 'authentication', code: 'UnrecognizedClientException' });
  });

  test('a Bedrock API key (api_key): Authorization: Bearer, nothing signed, the key redacted from errors', async () => {
    upstream.answer({ stream: text });
    const before = upstream.requests.length;
    const keyed = make({ access_key_id: undefined, secret_access_key: undefined, api_key: API_KEY });
    const { summary } = await collectEvents(
      await keyed.stream(userRequest('Hi'), callContext({ model: CLAUDE })),
    );
    expect(summary.finishReason).toBe('stop');
    expect(header(before, 'authorization')).toBe(`Bearer ${API_KEY}`);
    expect(header(before, 'x-amz-date')).toBeUndefined();
    expect(upstream.verdicts.at(-1)).toEqual({ ok: true, how: 'bearer' });

    upstream.answer({
      handler: (_req, res) => {
        res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'ValidationException' });
        res.end(JSON.stringify({ message: `bad request from key ${API_KEY}` }));
      },
    });
    const error = await keyed.complete(userRequest('Hi'), callContext()).catch((e: unknown) => e);
    expect((error as Error).message).toBe('bad request from key [redacted]');
  });

  test('AWS_BEARER_TOKEN_BEDROCK in the environment, when the config has no credentials', async () => {
    upstream.answer({ converse: converseFixture('text') });
    const before = upstream.requests.length;
    await make(
      { access_key_id: undefined, secret_access_key: undefined },
      { env: { AWS_BEARER_TOKEN_BEDROCK: API_KEY } },
    ).complete(userRequest('Hi'), callContext());
    expect(header(before, 'authorization')).toBe(`Bearer ${API_KEY}`);
  });
});

describe('the default credential chain', () => {
  test('resolved lazily, once for concurrent calls and the calls after; SigV4 with what it gave', async () => {
    let resolutions = 0;
    let profile: string | undefined;
    const environment: BedrockEnvironment = {
      env: {},
      defaultCredentials: (p) => {
        profile = p;
        return async (): Promise<AwsCredentials> => {
          resolutions++;
          await new Promise((resolve) => setTimeout(resolve, 20));
          return {
            accessKeyId: TEMP_KEY,
            secretAccessKey: TEMP_SECRET,
            sessionToken: SESSION,
            expiration: new Date(Date.now() + 60 * 60_000),
          };
        };
      },
    };
    const chained = make(
      { access_key_id: undefined, secret_access_key: undefined, profile: 'dev' },
      environment,
    );
    expect(resolutions).toBe(0);
    expect(profile).toBe('dev');
    upstream.answer({ converse: converseFixture('text') });
    await Promise.all([1, 2, 3].map(() => chained.complete(userRequest('Hi'), callContext())));
    expect(resolutions).toBe(1);
    expect(upstream.verdicts.slice(-3).every((v) => v.ok)).toBe(true);
    await chained.complete(userRequest('Hi'), callContext());
    expect(resolutions).toBe(1);
  });

  test("the AWS SDK's chain itself (fromNodeProviderChain): AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: TEMP_KEY,
      AWS_SECRET_ACCESS_KEY: TEMP_SECRET,
      AWS_SESSION_TOKEN: SESSION,
    });
    try {
      upstream.answer({ converse: converseFixture('text') });
      const before = upstream.requests.length;
      // No defaultCredentials given: the package's own, which imports @aws-sdk/credential-providers.
      await make({ access_key_id: undefined, secret_access_key: undefined }, { env: {} }).complete(
        userRequest('Hi'),
        callContext(),
      );
      expect(upstream.verdicts.at(-1)).toEqual({ ok: true, how: 'sigv4' });
      expect(header(before, 'authorization')).toContain(`Credential=${TEMP_KEY}/`);
    } finally {
      process.env = saved;
    }
  });

  test('no credentials anywhere: authentication before the network, and the next call tries again', async () => {
    let attempts = 0;
    const chained = make(
      { access_key_id: undefined, secret_access_key: undefined },
      {
        env: {},
        defaultCredentials: () => async () => {
          attempts++;
          throw new Error('Could not load credentials from any providers');
        },
      },
    );
    const before = upstream.requests.length;
    await expect(chained.stream(userRequest('Hi'), callContext())).rejects.toMatchObject({
      type: 'authentication',
      code: 'missing_aws_credentials',
      provider: 'aws',
      message: expect.stringContaining('found no AWS credentials to sign with (Could not load credentials'),
    });
    await expect(chained.complete(userRequest('Hi'), callContext())).rejects.toMatchObject({
      type: 'authentication',
    });
    expect(attempts).toBe(2);
    expect(upstream.requests.length).toBe(before);
  });
});

describe('errors before the stream', () => {
  test.each([
    [
      'validation-400',
      { type: 'invalid_request', status: 400, code: 'ValidationException', retryable: false },
    ],
    [
      'model-not-found-404',
      { type: 'not_found', status: 404, code: 'ResourceNotFoundException', retryable: false },
    ],
    ['throttling-429', { type: 'rate_limit', status: 429, code: 'ThrottlingException', retryable: true }],
    [
      'service-unavailable-503',
      { type: 'overloaded', status: 503, code: 'ServiceUnavailableException', retryable: true },
    ],
  ])('%s', async (name, expected) => {
    const fixture = errorFixture(name);
    upstream.answer({ error: fixture });
    const error = await make()
      .stream(userRequest('Hi'), callContext({ model: 'meta.llama9' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ ...expected, provider: 'aws' });
    expect((error as Error).message).toContain(String(fixture.body.message));
  });

  test('a 404 names the model it could not find; Retry-After is kept', async () => {
    upstream.answer({ error: errorFixture('model-not-found-404') });
    await expect(
      make().complete(userRequest('Hi'), callContext({ model: 'anthropic.claude-v9' })),
    ).rejects.toMatchObject({
      message:
        "Could not resolve the foundation model from the provided model identifier. (model 'anthropic.claude-v9')",
    });
    upstream.answer({ error: errorFixture('throttling-429'), headers: { 'retry-after': '3' } });
    await expect(make().complete(userRequest('Hi'), callContext())).rejects.toMatchObject({ retryAfter: 3 });
  });

  test('ServiceQuotaExceededException (HTTP 400, "resubmit later"): a retryable 429 rate_limit', async () => {
    upstream.answer({
      handler: (_req, res) => {
        res.writeHead(400, {
          'content-type': 'application/json',
          'x-amzn-errortype':
            'ServiceQuotaExceededException:http://internal.amazon.com/coral/com.amazon.bedrock/',
        });
        res.end(JSON.stringify({ message: 'Too many tokens per day, please wait before trying again.' }));
      },
    });
    await expect(make().complete(userRequest('Hi'), callContext())).rejects.toMatchObject({
      type: 'rate_limit',
      status: 429,
      retryable: true,
      code: 'ServiceQuotaExceededException',
    });
  });

  test('an error without a body still says what it was', async () => {
    upstream.answer({
      handler: (_req, res) => {
        res.writeHead(500, { 'x-amzn-errortype': 'InternalServerException:http://internal.amazon.com/' });
        res.end();
      },
    });
    await expect(make().complete(userRequest('Hi'), callContext())).rejects.toMatchObject({
      type: 'api_error',
      status: 500,
      code: 'InternalServerException',
      message: 'upstream aws answered HTTP 500 (InternalServerException)',
    });
  });
});

describe('streams cut short, timeouts and abort', () => {
  const bytes = encodeFrames(text.frames);

  test('cut inside a frame: a network error after what was decoded', async () => {
    upstream.answer({ stream: bytes.subarray(0, bytes.length - 30) });
    const { events, summary } = await collectEvents(await make().stream(userRequest('Hi'), callContext()));
    expect(summary.text).toBe('The capital of France is Paris — once «Lutèce». 🇫🇷');
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { type: 'network', provider: 'aws', message: expect.stringContaining('ended inside a frame') },
    });
  });

  test('cut between frames before messageStop: a network error', async () => {
    upstream.answer({ stream: encodeFrames(text.frames.slice(0, 3)) });
    const { events } = await collectEvents(await make().stream(userRequest('Hi'), callContext()));
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { type: 'network', message: 'the bedrock stream ended before its messageStop event' },
    });
  });

  test('metadata never came after messageStop: still a finish, without usage', async () => {
    upstream.answer({ stream: encodeFrames(text.frames.slice(0, -1)) });
    const { summary } = await collectEvents(await make().stream(userRequest('Hi'), callContext()));
    expect(summary).toMatchObject({ finishReason: 'stop', usage: {} });
  });

  test('garbage instead of frames: bad_upstream', async () => {
    upstream.answer({ stream: new TextEncoder().encode('<html>gateway error</html>') });
    const { events } = await collectEvents(await make().stream(userRequest('Hi'), callContext()));
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { type: 'bad_upstream' } });
  });

  test('no first byte within timeout_ms: a timeout error', async () => {
    upstream.answer({ handler: () => {} });
    await expect(make({ timeout_ms: 300 }).stream(userRequest('Hi'), callContext())).rejects.toMatchObject({
      type: 'timeout',
      code: 'first_byte_timeout',
    });
  });

  test('silence mid-stream longer than idle_timeout_ms: the stream ends with a timeout error', async () => {
    upstream.answer({
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': EVENT_STREAM });
        res.write(encodeFrames(text.frames.slice(0, 2)));
      },
    });
    const { events, summary } = await collectEvents(
      await make({ idle_timeout_ms: 300 }).stream(userRequest('Hi'), callContext()),
    );
    expect(summary.text).toBe('The capital');
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { type: 'timeout', code: 'idle_timeout' } });
  });

  test('abort via the signal stops the stream and the upstream request', async () => {
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    upstream.answer({
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': EVENT_STREAM });
        res.write(encodeFrames(text.frames.slice(0, 2)));
        res.on('close', () => closed());
      },
    });
    const controller = new AbortController();
    const stream = await make().stream(userRequest('Hi'), callContext({ signal: controller.signal }));
    const reader = stream.getReader();
    expect(await reader.read()).toMatchObject({ value: { type: 'message-start' } });
    controller.abort();
    const rest: unknown[] = [];
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) rest.push(r.value);
    } catch {
      // Rejecting the read is a way to stop too.
    }
    expect(rest.some((e) => (e as { type: string }).type === 'finish')).toBe(false);
    await upstreamClosed;
  });

  test('an already aborted signal: rejects before the network', async () => {
    const before = upstream.requests.length;
    await expect(
      make().stream(userRequest('Hi'), callContext({ signal: AbortSignal.abort() })),
    ).rejects.toMatchObject({ code: 'aborted' });
    expect(upstream.requests.length).toBe(before);
  });
});

describe('the package and its options', () => {
  test('exports type bedrock, an options schema and create', async () => {
    expect(bedrock).toMatchObject({ type: 'bedrock', specificationVersion: 'v1' });
    const p = await bedrock.create({
      name: 'x',
      config: providerEntry({ type: 'bedrock', region: 'eu-central-1', api_key: 'k' }),
    });
    expect(p).toMatchObject({ type: 'bedrock', dialect: 'bedrock-converse', supportsStreaming: true });
    await p.close?.();
  });

  test('endpoints and regions', () => {
    expect(bedrockEndpoint('us-west-2')).toBe('https://bedrock-runtime.us-west-2.amazonaws.com');
    expect(bedrockEndpoint('cn-north-1')).toBe('https://bedrock-runtime.cn-north-1.amazonaws.com.cn');
    expect(regionOfUrl('https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com')).toBe('us-gov-west-1');
    expect(regionOfUrl('https://vpce-0a1b.bedrock-runtime.eu-west-1.vpce.amazonaws.com')).toBe('eu-west-1');
    expect(regionOfUrl('https://gateway.example.com/bedrock')).toBeUndefined();
    expect(encodeModelId("a:b/c!'()*")).toBe('a%3Ab%2Fc%21%27%28%29%2A');
  });

  test('a region is needed to sign: from the option, or a Bedrock base_url; an API key needs none', () => {
    const entry = (extra: Record<string, unknown>) => ({
      name: 'aws',
      config: providerEntry({ type: 'bedrock', access_key_id: 'AKIA1', secret_access_key: 's', ...extra }),
    });
    expect(() => createBedrockProvider(entry({}), { env: {} })).toThrow(
      'providers.aws.region is required for type bedrock (e.g. region: us-east-1), unless base_url is given',
    );
    expect(() => createBedrockProvider(entry({ base_url: 'https://gw.example.com' }), { env: {} })).toThrow(
      'providers.aws.region is required to sign requests to https://gw.example.com (its host names no region)',
    );
    const fromHost = createBedrockProvider(
      entry({ base_url: 'https://bedrock-runtime.ap-south-1.amazonaws.com' }),
      {
        env: {},
      },
    );
    providers.push(fromHost);
    const keyed = createBedrockProvider(
      {
        name: 'aws',
        config: providerEntry({ type: 'bedrock', api_key: 'k', base_url: 'https://gw.example.com' }),
      },
      { env: {} },
    );
    providers.push(keyed);
  });

  test('additional_model_request_fields go under the request’s own', async () => {
    upstream.answer({ converse: converseFixture('text') });
    const before = upstream.requests.length;
    await make({ additional_model_request_fields: { top_k: 10, anthropic_beta: ['x'] } }).complete(
      userRequest('Hi', { topK: 3 }),
      callContext({ model: CLAUDE }),
    );
    expect((upstream.requests[before]!.json as any).additionalModelRequestFields).toEqual({
      top_k: 3,
      anthropic_beta: ['x'],
    });
  });

  test('the options schema', async () => {
    const validate = (value: unknown) => optionsSchema['~standard'].validate(value);
    expect(await validate({})).toMatchObject({ value: {} });
    expect(await validate({ region: 'us-east-1', profile: 'dev' })).toMatchObject({
      value: { region: 'us-east-1', profile: 'dev' },
    });
    expect(await validate({ regoin: 'us-east-1' })).toMatchObject({
      issues: [
        { path: [{ key: 'regoin' }], message: "is not an option of type bedrock (did you mean 'region'?)" },
      ],
    });
    expect(await validate({ region: 'us-east1' })).toMatchObject({
      issues: [{ message: "region must be an AWS region such as us-east-1 (got 'us-east1')" }],
    });
    expect(await validate({ access_key_id: 'AKIA1' })).toMatchObject({
      issues: [{ path: [{ key: 'access_key_id' }], message: expect.stringContaining('go together') }],
    });
    expect(await validate({ session_token: 't' })).toMatchObject({
      issues: [{ path: [{ key: 'session_token' }] }],
    });
    expect(await validate({ access_key_id: 'A', secret_access_key: 'B', profile: 'p' })).toMatchObject({
      issues: [{ path: [{ key: 'profile' }] }],
    });
    expect(await validate({ access_key_id: 'AKIA1', secret_access_key: '' })).toMatchObject({
      issues: [{ message: 'secret_access_key is empty (is its environment variable set?)' }],
    });
  });
});
