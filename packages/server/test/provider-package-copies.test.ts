/**
 * A provider package installed in its own folder has its own copies of @tokenpak/provider and
 * @tokenpak/provider-utils (its node_modules), so its ProviderErrors are made by another copy of the class than
 * the server's. They must still be served with their own type and status, and not retried when not retryable:
 * an upstream 401 reaches the client as a 401 after one attempt, a missing key as a 401 after none.
 */
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProviderError } from '@tokenpak/providers';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createGateway, type Gateway } from '../src/index.ts';
import { configFrom } from './helpers/config.ts';

const packagesDir = fileURLToPath(new URL('../../', import.meta.url));

/** Copies a built workspace package (package.json and dist) into `nodeModules`, as npm would install it. */
function install(nodeModules: string, name: string, folder: string): void {
  const to = join(nodeModules, name);
  mkdirSync(to, { recursive: true });
  cpSync(join(packagesDir, folder, 'package.json'), join(to, 'package.json'));
  cpSync(join(packagesDir, folder, 'dist'), join(to, 'dist'), { recursive: true });
}

/** Links a third-party dependency of provider-utils (undici...) into `nodeModules`. */
function link(nodeModules: string, name: string): void {
  const target = realpathSync(join(packagesDir, 'provider-utils', 'node_modules', name));
  mkdirSync(dirname(join(nodeModules, name)), { recursive: true });
  symlinkSync(target, join(nodeModules, name), 'dir');
}

const PACKAGE = `
import { ProviderError } from '@tokenpak/provider';
import { createHttpProvider, missingKeyError, providerSecrets } from '@tokenpak/provider-utils';

export { ProviderError };
export const type = 'plain';
const dialect = {
  name: 'plain',
  buildRequest: (request) => ({ messages: request.messages }),
  createStreamDecoder: () => ({ push() {}, end() {} }),
  parseResponse: () => ({ id: 'x', model: 'x', content: [], finishReason: 'stop', usage: {} }),
  parseError: (status, body, provider) =>
    new ProviderError({ type: status === 401 ? 'authentication' : 'api_error', status, provider, message: body.error }),
};
export function create({ name, config }) {
  return createHttpProvider({
    name, type, dialect, config, baseUrl: config.base_url,
    headers: config.api_key ? { authorization: 'Bearer ' + config.api_key } : {},
    secrets: providerSecrets(config),
    ...(!config.api_key && { configError: missingKeyError(name, type, 'PLAIN_API_KEY') }),
  });
}
export default { type, create };
`;

let dir: string;
let upstream: Server;
let upstreamUrl: string;
let requests = 0;
let gateway: Gateway;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tokenpak-copies-'));
  const nodeModules = join(dir, 'plain-provider', 'node_modules');
  install(nodeModules, '@tokenpak/provider', 'provider');
  install(nodeModules, '@tokenpak/provider-utils', 'provider-utils');
  link(nodeModules, 'undici');
  link(nodeModules, 'eventsource-parser');
  writeFileSync(
    join(dir, 'plain-provider', 'package.json'),
    JSON.stringify({ name: 'plain-provider', type: 'module', exports: { '.': { import: './index.js' } } }),
  );
  writeFileSync(join(dir, 'plain-provider', 'index.js'), PACKAGE);

  upstream = createServer((request, res) => {
    requests++;
    request.resume();
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'Incorrect API key provided' }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;

  const retry = 'max_retries: 2, retry_base_ms: 10';
  const config = configFrom(`
providers:
  keyed: { type: custom, package: ./plain-provider, base_url: "${upstreamUrl}", api_key: sk-wrong, ${retry} }
  keyless: { type: custom, package: ./plain-provider, base_url: "${upstreamUrl}", ${retry} }
models:
  keyed: { provider: keyed, model: m }
  keyless: { provider: keyless, model: m }
`);
  gateway = await createGateway(config, { baseDir: dir, logger: () => {} });
});

afterAll(async () => {
  await gateway?.close(0);
  await new Promise((resolve) => upstream?.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const chat = (model: string, stream: boolean) =>
  gateway.app.fetch(
    new Request('http://tokenpak.test/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }),
    }),
  );

test('the package really has its own copy of ProviderError', async () => {
  const own = await import(join(dir, 'plain-provider', 'index.js'));
  expect(own.ProviderError).not.toBe(ProviderError);
  expect(new own.ProviderError({ type: 'authentication', message: 'x' })).toBeInstanceOf(ProviderError);
});

test.each([false, true])('an upstream 401 stays a 401 and is not retried (stream: %s)', async (stream) => {
  requests = 0;
  const res = await chat('keyed', stream);
  const body = await res.json();
  expect(res.status).toBe(401);
  expect(body.error).toMatchObject({ type: 'authentication_error', message: 'Incorrect API key provided' });
  expect(requests).toBe(1);
});

test('a missing key (missingKeyError from the package) is a 401 naming the setting, with no upstream call', async () => {
  requests = 0;
  const res = await chat('keyless', true);
  const body = await res.json();
  expect(res.status).toBe(401);
  expect(body.error.message).toContain('set providers.keyless.api_key, e.g. api_key: $' + '{PLAIN_API_KEY}');
  expect(requests).toBe(0);
});
