/** The fixture upstream over real HTTP: what it serves in each mode, and what it records of each request. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBytes } from '../src/http/byte-reader.ts';
import { createUpstreamClient, type UpstreamClient } from '../src/http/upstream-client.ts';
import { replay, startFakeUpstream } from '../src/test/fake-upstream.ts';
import { type FixtureUpstream, startFixtureUpstream } from '../src/test/fixture-upstream.ts';
import { contentTypeOf, type Fixture, loadFixture, loadFixtures } from '../src/test/load-fixture.ts';
import { replayModes } from '../src/test/replay-modes.ts';

const body = 'data: {"text":"héllo 👋"}\n\ndata: [DONE]\n\n';
const fixture: Fixture = { name: 'inline.sse', body, contentType: 'text/event-stream; charset=utf-8' };

let upstream: FixtureUpstream;
let client: UpstreamClient;

beforeAll(async () => {
  upstream = await startFixtureUpstream(fixture);
  client = createUpstreamClient({
    provider: 'test',
    origin: upstream.url,
    connectTimeoutMs: 5_000,
    firstByteTimeoutMs: 5_000,
    idleTimeoutMs: 5_000,
  });
});

afterAll(async () => {
  await client.close();
  await upstream.close();
});

async function fetchBody(headers: Record<string, string> = {}, json: unknown = { model: 'm', stream: true }) {
  const response = await client.send({
    path: '/v1/chat/completions?x=1',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(json),
    signal: new AbortController().signal,
  });
  const reader = openBytes(response);
  const chunks: Uint8Array[] = [];
  for (let chunk = await reader.read(); chunk !== undefined; chunk = await reader.read()) chunks.push(chunk);
  return { response, chunks, text: Buffer.concat(chunks).toString('utf8') };
}

describe('startFixtureUpstream', () => {
  test.each(replayModes({ seeds: [1, 2], maxChunk: 7 }))(
    '$name: the recording arrives intact',
    async (mode) => {
      upstream.serve(fixture, { mode });
      const { response, text } = await fetchBody();
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(text).toBe(mode.lineEndings === 'flip' ? body.replaceAll('\n', '\r\n') : body);
    },
  );

  test('bytes: one byte per HTTP chunk on the wire (the client reads many small chunks)', async () => {
    upstream.serve(fixture, { mode: { split: 'bytes', lineEndings: 'as-recorded' } });
    const { chunks, text } = await fetchBody();
    expect(text).toBe(body);
    expect(chunks.length).toBeGreaterThan(1);
  });

  test('records method, url, headers and the parsed JSON body of every request', async () => {
    upstream.serve(fixture);
    const before = upstream.requests.length;
    await fetchBody({ authorization: 'Bearer sk-test' }, { model: 'gpt-x', stream: true });
    const request = upstream.requests[before];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/chat/completions?x=1');
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(request?.json).toEqual({ model: 'gpt-x', stream: true });
    expect(JSON.parse(request?.body ?? '')).toEqual(request?.json);
  });

  test('status and extra headers; a content-type header overrides the fixture one', async () => {
    upstream.serve(fixture, { status: 429, headers: { 'retry-after': '3', 'content-type': 'text/plain' } });
    const { response, text } = await fetchBody();
    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBe('3');
    expect(response.headers['content-type']).toBe('text/plain');
    expect(text).toBe(body);
  });

  test('a body that is not JSON is recorded with json undefined', async () => {
    upstream.serve(fixture);
    const before = upstream.requests.length;
    const response = await client.send({
      path: '/',
      headers: {},
      body: 'not json',
      signal: new AbortController().signal,
    });
    await response.body.cancel();
    expect(upstream.requests[before]?.body).toBe('not json');
    expect(upstream.requests[before]?.json).toBeUndefined();
  });

  test('without a fixture it answers 500 until one is served', async () => {
    const empty = await startFixtureUpstream();
    const local = createUpstreamClient({
      provider: 'test',
      origin: empty.url,
      connectTimeoutMs: 5_000,
      firstByteTimeoutMs: 5_000,
      idleTimeoutMs: 5_000,
    });
    try {
      const send = () =>
        local.send({ path: '/', headers: {}, body: '{}', signal: new AbortController().signal });
      const first = await send();
      expect(first.status).toBe(500);
      await first.body.cancel();
      empty.serve({ name: 'x.ndjson', body: '{"a":1}\n', contentType: contentTypeOf('x.ndjson') });
      const second = await send();
      expect(second.status).toBe(200);
      expect(second.headers['content-type']).toBe('application/x-ndjson');
      expect(Buffer.from(await new Response(second.body).arrayBuffer()).toString()).toBe('{"a":1}\n');
    } finally {
      await local.close();
      await empty.close();
    }
  });
});

describe('replay (the shared writer) keeps its older options', () => {
  test('chunking and crlf', async () => {
    const fake = await startFakeUpstream((_, res) =>
      replay(res, body, { chunking: { seed: 3, maxChunk: 5, maxDelayMs: 2 }, crlf: true }),
    );
    try {
      const response = await fetch(fake.url, { method: 'POST', body: '{}' });
      expect(await response.text()).toBe(body.replaceAll('\n', '\r\n'));
    } finally {
      await fake.close();
    }
  });
});

describe('loadFixture / loadFixtures', () => {
  const folder = new URL('./fixtures/ollama/', import.meta.url);

  test('content type from the extension', () => {
    expect(contentTypeOf('a.sse')).toBe('text/event-stream; charset=utf-8');
    expect(contentTypeOf('a.ndjson')).toBe('application/x-ndjson');
    expect(contentTypeOf('a.jsonl')).toBe('application/x-ndjson');
    expect(contentTypeOf('a.json')).toBe('application/json');
    expect(contentTypeOf('a.bin')).toBe('application/octet-stream');
  });

  test('every recording of a folder, sorted, as bytes', () => {
    const fixtures = loadFixtures(folder, '.ndjson');
    expect(fixtures.map((f) => f.name)).toEqual([
      'chat-text-tail.ndjson',
      'generate-text.ndjson',
      'generate-thinking.ndjson',
    ]);
    expect(fixtures[0]?.contentType).toBe('application/x-ndjson');
    expect(fixtures[0]?.body).toBeInstanceOf(Uint8Array);
    const one = loadFixture(new URL('chat-text-tail.ndjson', folder), 'application/json');
    expect(one.contentType).toBe('application/json');
    expect(Buffer.from(one.body).equals(Buffer.from(fixtures[0]?.body ?? ''))).toBe(true);
  });
});
