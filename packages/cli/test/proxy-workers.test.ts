/**
 * `tokenpak proxy --workers 2` as a real process tree: one port, two workers, the stream limit, /metrics, resume
 * and Responses state across workers, a worker killed mid-stream, and SIGTERM. The tests share one proxy and
 * run in order (the last one stops it).
 */
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Answer, eventIds, readUntil, send, text } from './fresh-connection.ts';
import { type ProxyProcess, startProxyProcess } from './proxy-process.ts';
import { runCli, workdir } from './run-cli.ts';

const dir = workdir(
  [
    'server: { shutdown_grace_ms: 10000 }',
    'streaming: { max_concurrent_streams: 2 }',
    'providers:',
    '  fast: { type: mock }',
    '  slow: { type: mock, tokens_per_second: 40 }',
    'models:',
    '  fast: { provider: fast }',
    '  slow: { provider: slow }',
    '',
  ].join('\n'),
);
let proxy: ProxyProcess;
let pids: number[];

beforeAll(async () => {
  proxy = await startProxyProcess(['--port', '0', '--workers', '2'], { cwd: dir, env: {} });
  pids = /Workers: 2 \(pids (\d+), (\d+)\)/.exec(proxy.output())!.slice(1).map(Number);
}, 30_000);
afterAll(() => {
  proxy?.child.kill('SIGKILL');
  for (const pid of pids ?? []) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  rmSync(dir, { recursive: true, force: true });
});

const message = (model: string, stream: boolean, maxTokens = 40) => ({
  json: { model, stream, max_tokens: maxTokens, messages: [{ role: 'user', content: 'hi' }] },
});

/** Sends on new connections until an answer comes from a worker `accept` takes (others are dropped). */
async function landOn(attempt: () => Promise<Answer>, accept: (worker: string) => boolean): Promise<Answer> {
  for (let i = 0; i < 20; i++) {
    const answer = await attempt();
    if (accept(answer.worker)) return answer;
    answer.body.destroy();
  }
  throw new Error('no answer from the wanted worker in 20 tries');
}

const metric = (scrape: string, line: string): number => {
  const match = new RegExp(`^${line.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(scrape);
  return match ? Number(match[1]) : Number.NaN;
};

describe('tokenpak proxy --workers 2 (real processes)', () => {
  test('two worker processes serve requests on the one port', async () => {
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(proxy.child.pid);
    const workers = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const answer = await send(proxy.url, '/v1/messages', message('fast', false));
      expect(answer.status).toBe(200);
      expect(JSON.parse(await text(answer.body)).type).toBe('message');
      workers.add(answer.worker);
    }
    expect(workers).toEqual(new Set(['0', '1']));
  });

  test('/metrics counts what every worker served, whichever worker is scraped', async () => {
    const before = await send(proxy.url, '/metrics');
    const base = metric(await text(before.body), 'tokenpak_requests_total{outcome="ok"}');
    const served = new Map<string, number>();
    for (let i = 0; i < 6; i++) {
      const answer = await send(proxy.url, '/v1/chat/completions', message('fast', false));
      await text(answer.body);
      served.set(answer.worker, (served.get(answer.worker) ?? 0) + 1);
    }
    expect([...served.keys()].sort()).toEqual(['0', '1']);
    const scrapedBy = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const scrape = await send(proxy.url, '/metrics');
      scrapedBy.add(scrape.worker);
      const body = await text(scrape.body);
      expect(metric(body, 'tokenpak_requests_total{outcome="ok"}')).toBe(base + 6);
      expect(metric(body, 'tokenpak_workers')).toBe(2);
      expect(body).toContain('# TYPE tokenpak_ttft_seconds histogram');
    }
    expect(scrapedBy).toEqual(new Set(['0', '1']));
  });

  test('max_concurrent_streams holds across workers: the third stream gets 429 in the client format', async () => {
    const first = await send(proxy.url, '/v1/messages', message('slow', true));
    const second = await send(proxy.url, '/v1/messages', message('slow', true));
    const third = await send(proxy.url, '/v1/messages', message('slow', true));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(new Set([first.worker, second.worker, third.worker])).toEqual(new Set(['0', '1']));
    expect(third.status).toBe(429);
    const error = JSON.parse(await text(third.body));
    expect(error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(error.error.message).toContain('max_concurrent_streams is 2');
    expect(await text(first.body)).toContain('event: message_stop');
    expect(await text(second.body)).toContain('event: message_stop');
    // Both slots are back: a new stream is served.
    const after = await send(proxy.url, '/v1/messages', message('slow', true, 3));
    expect(after.status).toBe(200);
    await text(after.body);
  });

  test('a stream started on one worker resumes through the other', async () => {
    const stream = await send(proxy.url, '/v1/messages', message('slow', true));
    const owner = stream.worker;
    const id = String(stream.headers['x-tokenpak-stream-id']);
    expect(id.startsWith(`w${owner}_`)).toBe(true);
    expect(eventIds(await readUntil(stream.body, 'id: 3\n'))).toContain(3);
    stream.body.destroy(); // the client drops; the upstream goes on into the log (reconnect grace)

    const resumed = await landOn(
      () => send(proxy.url, `/v1/streams/${id}`, { headers: { 'last-event-id': '3' } }),
      (worker) => worker !== owner,
    );
    expect(resumed.status).toBe(200);
    expect(resumed.headers['x-tokenpak-forwarded-to']).toBe(owner);
    expect(resumed.headers['content-type']).toMatch(/^text\/event-stream/);
    const rest = await text(resumed.body);
    expect(eventIds(rest)[0]).toBe(4);
    expect(rest).toContain('event: message_stop');
  });

  test('Responses state lives on the worker that stored it, and is reached from the other', async () => {
    const created = await send(proxy.url, '/v1/responses', { json: { model: 'fast', input: 'hello' } });
    const owner = created.worker;
    const { id } = JSON.parse(await text(created.body));
    expect(id).toMatch(new RegExp(`^resp_w${owner}_`));

    const fetched = await landOn(
      () => send(proxy.url, `/v1/responses/${id}`),
      (worker) => worker !== owner,
    );
    expect(fetched.status).toBe(200);
    expect(JSON.parse(await text(fetched.body)).id).toBe(id);

    const continued = await landOn(
      () =>
        send(proxy.url, '/v1/responses', {
          json: { model: 'fast', previous_response_id: id, input: 'more' },
        }),
      (worker) => worker !== owner,
    );
    expect(continued.status).toBe(200);
    expect(continued.headers['x-tokenpak-forwarded-to']).toBe(owner);
    const next = JSON.parse(await text(continued.body));
    expect(next.id).toMatch(new RegExp(`^resp_w${owner}_`));
  });

  test('a worker killed mid-stream: the stream on the other worker finishes, and the killed one comes back', async () => {
    const stream = await send(proxy.url, '/v1/messages', message('slow', true));
    const survivor = Number(stream.worker);
    const victim = 1 - survivor;
    await readUntil(stream.body, 'id: 2\n');
    process.kill(pids[victim]!, 'SIGKILL');
    expect(await text(stream.body)).toContain('event: message_stop');

    const deadline = Date.now() + 10_000;
    let back: RegExpExecArray | null = null;
    while (!back && Date.now() < deadline) {
      back = new RegExp(`worker ${victim} is back \\(pid (\\d+)\\)`).exec(proxy.output());
      if (!back) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(back, proxy.output()).not.toBeNull();
    pids[victim] = Number(back![1]);
    expect(proxy.output()).toMatch(new RegExp(`worker ${victim} \\(pid \\d+\\) exited \\(SIGKILL\\)`));
    const answer = await landOn(
      () => send(proxy.url, '/v1/messages', message('fast', false)),
      (worker) => worker === String(victim),
    );
    expect(answer.status).toBe(200);
    await text(answer.body);
    const scrape = await text((await send(proxy.url, '/metrics')).body);
    expect(metric(scrape, 'tokenpak_worker_restarts_total')).toBe(1);
  });

  test('SIGTERM: both workers finish their open streams, then everything exits 0', async () => {
    const one = await send(proxy.url, '/v1/messages', message('slow', true));
    const two = await send(proxy.url, '/v1/messages', message('slow', true));
    expect(new Set([one.worker, two.worker])).toEqual(new Set(['0', '1']));
    await Promise.all([readUntil(one.body, 'id: 1\n'), readUntil(two.body, 'id: 1\n')]);
    proxy.child.kill('SIGTERM');
    const [restOne, restTwo] = await Promise.all([text(one.body), text(two.body)]);
    expect(restOne).toContain('event: message_stop');
    expect(restTwo).toContain('event: message_stop');
    expect(await proxy.exited).toBe(0);
    expect(proxy.output()).toContain('Stopped.');
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});

describe('tokenpak proxy --workers: refusals', () => {
  test('a port in use with workers is the same clear error (exit 1); a bad --workers too', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = await runCli(['proxy', '--port', String(port), '--workers', '2'], { cwd: dir, env: {} });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
    const bad = await runCli(['proxy', '--port', '0', '--workers', 'many'], { cwd: dir, env: {} });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--workers must be a whole number >= 1 or auto');
  });
});
