// nginx as the reference target: the config the bench writes, and (only where nginx is installed) one real
// nginx in front of the fake upstream, relaying a stream intact. The test suite never needs nginx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nginxConfig } from '../src/children/nginx-config.mjs';
import { findNginx, nginxVersion, startNginx } from '../src/children/nginx-process.mjs';
import { spawnChild } from '../src/children/spawn-child.mjs';
import { sendRequest } from '../src/client/send-request.mjs';
import { makeAgent } from '../src/scenarios/common.mjs';

const UPSTREAM_ENTRY = new URL('../src/children/upstream-process.mjs', import.meta.url).pathname;

describe('nginxConfig', () => {
  const config = nginxConfig({
    prefix: '/tmp/p',
    port: 4321,
    upstream: '127.0.0.1:9999',
    workerConnections: 20_256,
    rlimitNofile: 20_000,
    user: 'root',
  });
  const directive = (text) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm');

  it('runs one worker in the foreground, everything in the prefix', () => {
    for (const line of [
      'daemon off;',
      'worker_processes 1;',
      'worker_rlimit_nofile 20000;',
      'pid /tmp/p/nginx.pid;',
      'error_log /tmp/p/error.log warn;',
      'worker_connections 20256;',
      'client_body_temp_path /tmp/p/client_body;',
      'proxy_temp_path /tmp/p/proxy;',
      'user root;',
    ]) {
      expect(config).toMatch(directive(line));
    }
  });

  it('streams: no buffering either way, HTTP/1.1 with a keep-alive pool upstream, no access log', () => {
    for (const line of [
      'access_log off;',
      'listen 127.0.0.1:4321;',
      'server 127.0.0.1:9999;',
      'keepalive 1024;',
      'proxy_pass http://bench_upstream;',
      'proxy_http_version 1.1;',
      'proxy_set_header Connection "";',
      'proxy_buffering off;',
      'proxy_request_buffering off;',
    ]) {
      expect(config).toMatch(directive(line));
    }
  });

  it('leaves out user and worker_rlimit_nofile when not given', () => {
    const plain = nginxConfig({ prefix: '/p', port: 1, upstream: 'h:2', workerConnections: 1024 });
    expect(plain).not.toMatch(/^\s*user /m);
    expect(plain).not.toMatch(/worker_rlimit_nofile/);
  });
});

const binary = findNginx();

describe.runIf(binary)('a real nginx in front of the fake upstream', () => {
  let upstream;
  let nginx;
  let agent;

  beforeAll(async () => {
    upstream = await spawnChild(UPSTREAM_ENTRY, { label: 'fake upstream' });
    nginx = await startNginx({ binary, upstreamUrl: upstream.url, workerConnections: 1024 });
    agent = makeAgent(4);
  }, 20_000);

  afterAll(async () => {
    await agent?.close();
    await nginx?.close();
    await upstream?.close();
  });

  it('relays a slow stream intact, and its master and worker are measured', async () => {
    expect(nginxVersion(binary)).toMatch(/^nginx\//);
    const spec = { dialect: 'openai', model: 'bench-openai', stream: true, tokens: 5, gapMs: 5 };
    const result = await sendRequest(agent, nginx.url, spec);
    expect(result).toMatchObject({ intact: true, status: 200 });
    expect(result.contentEvents).toBe(5);
    const usage = nginx.usage();
    expect(usage.processes).toBe(2);
    expect(usage.cpuMs).toEqual(expect.any(Number));
    expect((await nginx.stats()).rss).toBeGreaterThan(0);
  });
});
