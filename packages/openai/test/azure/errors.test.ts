/**
 * Azure's 404s for a wrong deployment (`DeploymentNotFound`) or an api-version it does not serve (a bare
 * `Resource not found`), and its 400 for a bad api-version, as errors naming the deployment / api-version
 * and the setting behind it; a missing credential before any network.
 */
import type { Provider, ProviderConfigEntry } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import {
  callContext,
  type FakeUpstream,
  providerEntry,
  readAll,
  startFakeUpstream,
  userRequest,
} from '@tokenpak/provider-utils/test';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createAzureOpenAIProvider } from '../../src/index.ts';

const KEY = 'azure-secret-key-0123456789';
const DEPLOYMENT_NOT_FOUND = {
  error: {
    code: 'DeploymentNotFound',
    message:
      'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
  },
};
const RESOURCE_NOT_FOUND = { error: { code: '404', message: 'Resource not found' } };

let upstream: FakeUpstream;
const providers: Provider[] = [];

function answer(status: number, body: unknown) {
  upstream.handle((_request, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
}

function azure(options: Partial<ProviderConfigEntry> = {}, name = 'az'): Provider {
  const provider = createAzureOpenAIProvider({
    name,
    config: providerEntry({ type: 'azure', base_url: upstream.url, api_key: KEY, ...options }),
  });
  providers.push(provider);
  return provider;
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterEach(() => {
  upstream.requests.length = 0;
});
afterAll(async () => {
  for (const provider of providers) await provider.close?.();
  await upstream.close();
});

describe('DeploymentNotFound', () => {
  test('classic form, deployment from the alias model: names it and says where it came from', async () => {
    answer(404, DEPLOYMENT_NOT_FOUND);
    const error = await failure(
      azure({ api_version: '2024-10-21' }).stream(userRequest('Hi'), callContext({ model: 'gpt-4o-typo' })),
    );
    expect(upstream.requests[0]?.url).toBe(
      '/openai/deployments/gpt-4o-typo/chat/completions?api-version=2024-10-21',
    );
    expect(error).toMatchObject({
      type: 'not_found',
      status: 404,
      code: 'DeploymentNotFound',
      retryable: false,
    });
    expect(error.message).toContain(`Azure deployment 'gpt-4o-typo' not found on ${upstream.url}`);
    expect(error.message).toContain("the alias's model");
    expect(error.message).toContain('providers.az.deployment');
    expect(error.message).toContain('The API deployment for this resource does not exist');
    expect(error.message).not.toContain(KEY);
  });

  test('classic form, deployment configured: names providers.<name>.deployment', async () => {
    answer(404, DEPLOYMENT_NOT_FOUND);
    const error = await failure(
      azure({ api_version: '2024-10-21', deployment: 'prod-4o' }, 'azprod').complete(
        userRequest('Hi', { stream: false }),
        callContext({ model: 'ignored' }),
      ),
    );
    expect(upstream.requests[0]?.url).toBe(
      '/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21',
    );
    expect(error.message).toMatch(
      /^Azure deployment 'prod-4o' not found on http:\/\/127\.0\.0\.1:\d+ \(providers\.azprod\.deployment\)/,
    );
    expect(error.status).toBe(404);
  });

  test('v1 form: the deployment is the body model', async () => {
    answer(404, DEPLOYMENT_NOT_FOUND);
    const error = await failure(azure().stream(userRequest('Hi'), callContext({ model: 'nope' })));
    expect(upstream.requests[0]?.url).toBe('/openai/v1/chat/completions');
    expect(upstream.requests[0]?.json).toMatchObject({ model: 'nope' });
    expect(error.message).toContain("Azure deployment 'nope' not found");
  });

  test('the same-dialect fast path (streamRaw) explains it too', async () => {
    answer(404, DEPLOYMENT_NOT_FOUND);
    const provider = azure({ deployment: 'raw-dep' });
    expect(provider.streamRaw).toBeTypeOf('function');
    const error = await failure(provider.streamRaw?.(userRequest('Hi'), callContext()) ?? Promise.resolve());
    expect(error.message).toContain(
      `Azure deployment 'raw-dep' not found on ${upstream.url} (providers.az.deployment)`,
    );
  });
});

describe('a wrong api-version', () => {
  test('404 Resource not found in the classic form names the api-version', async () => {
    answer(404, RESOURCE_NOT_FOUND);
    const error = await failure(
      azure({ api_version: '2099-01-01' }).stream(userRequest('Hi'), callContext({ model: 'gpt-4o' })),
    );
    expect(upstream.requests[0]?.url).toContain('api-version=2099-01-01');
    expect(error).toMatchObject({ type: 'not_found', status: 404, retryable: false });
    expect(error.message).toContain("api-version '2099-01-01'");
    expect(error.message).toContain('providers.az.api_version');
    expect(error.message).toContain('Resource not found');
  });

  test('400 about the api-version in the classic form names it', async () => {
    answer(400, { error: { code: 'BadRequest', message: 'API version not supported' } });
    const error = await failure(
      azure({ api_version: '2023-01-01-preview' }).stream(userRequest('Hi'), callContext()),
    );
    expect(error).toMatchObject({ type: 'invalid_request', status: 400, retryable: false });
    expect(error.message).toContain(
      "Azure rejected api-version '2023-01-01-preview' (providers.az.api_version)",
    );
    expect(error.message).toContain('API version not supported');
  });

  test('404 Resource not found in the v1 form points at base_url and api_version', async () => {
    answer(404, RESOURCE_NOT_FOUND);
    const error = await failure(azure().complete(userRequest('Hi', { stream: false }), callContext()));
    expect(error.status).toBe(404);
    expect(error.message).toContain('/openai/v1/chat/completions');
    expect(error.message).toContain('providers.az.base_url');
    expect(error.message).toContain('providers.az.api_version');
  });

  test('other errors pass unchanged (type, status, message), the key redacted', async () => {
    answer(401, { error: { code: '401', message: `Access denied due to invalid subscription key ${KEY}.` } });
    const error = await failure(
      azure({ api_version: '2024-10-21' }).stream(userRequest('Hi'), callContext()),
    );
    expect(error).toMatchObject({ type: 'authentication', status: 401 });
    expect(error.message).toContain('Access denied due to invalid subscription key');
    expect(error.message).not.toContain(KEY);

    answer(429, {
      error: {
        code: '429',
        message: 'Requests to the ChatCompletions_Create Operation have exceeded the rate limit.',
      },
    });
    const limited = await failure(azure().stream(userRequest('Hi'), callContext()));
    expect(limited).toMatchObject({ type: 'rate_limit', status: 429, retryable: true });
    expect(limited.message).not.toContain('Azure deployment');
  });

  test('a mid-stream error arrives as an error event, not a rejection', async () => {
    upstream.handle((_request, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"error":{"code":"500","message":"The server had an error"}}\n\n');
    });
    const events = await readAll(await azure().stream(userRequest('Hi'), callContext()));
    expect(events.at(-1)).toMatchObject({ type: 'error' });
  });
});

describe('credentials', () => {
  test('none: every call fails with an authentication error naming both settings, before any network', async () => {
    const provider = createAzureOpenAIProvider({
      name: 'nokey',
      config: providerEntry({ type: 'azure', base_url: upstream.url }),
    });
    providers.push(provider);
    const error = await failure(provider.stream(userRequest('Hi'), callContext()));
    expect(error).toMatchObject({ type: 'authentication', code: 'missing_api_key', retryable: false });
    expect(error.message).toContain('providers.nokey.api_key');
    expect(error.message).toContain('providers.nokey.azure_ad_token');
    expect(upstream.requests).toHaveLength(0);
  });

  test('an api-key or Authorization header in `headers` is enough', async () => {
    upstream.handle((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'x',
          model: 'm',
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'ok' } }],
        }),
      );
    });
    const provider = azure({ api_key: undefined, headers: { 'Api-Key': 'from-headers' } });
    await provider.complete(userRequest('Hi', { stream: false }), callContext());
    expect(upstream.requests[0]?.headers['api-key']).toBe('from-headers');
  });

  test('the bearer token is redacted from errors', async () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.secret-token';
    answer(403, { error: { code: 'PermissionDenied', message: `token ${token} lacks the role` } });
    const error = await failure(
      azure({ api_key: undefined, azure_ad_token: token }).stream(userRequest('Hi'), callContext()),
    );
    expect(upstream.requests[0]?.headers.authorization).toBe(`Bearer ${token}`);
    expect(upstream.requests[0]?.headers['api-key']).toBeUndefined();
    expect(error.message).not.toContain(token);
  });
});

test('a 400 about the api-version in the v1 form points at api_version', async () => {
  answer(400, { error: { code: 'BadRequest', message: 'Missing API version parameter.' } });
  const error = await failure(azure().stream(userRequest('Hi'), callContext()));
  expect(error).toMatchObject({ type: 'invalid_request', status: 400, retryable: false });
  expect(error.message).toContain('may not serve the v1 API; set providers.az.api_version');
  expect(error.message).toContain('Missing API version parameter.');
});
