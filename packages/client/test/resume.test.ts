import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type StreamEvent,
  TokenpakStreamError,
  type TokenpakStreamOptions,
  tokenpakStream,
} from '../src/index.ts';
import {
  bodyLength,
  type Dialect,
  dialectEvents,
  FakeTokenPak,
  type Framing,
  PATHS,
  prng,
  randomText,
  type Scenario,
  splitDeltas,
} from './fake-tokenpak.ts';

const server = new FakeTokenPak();
beforeAll(() => server.start());
afterAll(() => server.stop());

const DIALECTS: Dialect[] = ['openai', 'anthropic', 'responses'];
const RUNS = 30;

function request(dialect: Dialect, framing: Framing, headers: Record<string, string> = {}) {
  return {
    url: server.url + PATHS[dialect],
    init: {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer k1',
        ...(framing === 'ndjson' ? { accept: 'application/x-ndjson' } : {}),
        ...headers,
      },
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    },
  };
}

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of stream) out.push(event);
  return out;
}

async function collectText(stream: { text(): AsyncIterable<string> }): Promise<string> {
  let text = '';
  for await (const delta of stream.text()) text += delta;
  return text;
}

const fast: TokenpakStreamOptions = { backoffMs: 1, maxBackoffMs: 5 };

describe.each(DIALECTS.flatMap((d) => (['sse', 'ndjson'] as const).map((f) => [d, f] as const)))(
  'resume: %s over %s',
  (dialect, framing) => {
    test(`text is byte-identical to an uninterrupted run across ${RUNS} seeded random cut points`, async () => {
      const posts = () => server.requests.filter((r) => r.method === 'POST').length;
      const postsBefore = posts();
      for (let run = 0; run < RUNS; run++) {
        const seed = 1000 * DIALECTS.indexOf(dialect) + (framing === 'sse' ? 0 : 500) + run;
        const random = prng(seed);
        const expected = randomText(random, 40 + Math.floor(random() * 200));
        const events = dialectEvents(dialect, splitDeltas(expected, random));
        const lineEnding = framing === 'sse' ? (['\n', '\r\n', '\r'] as const)[run % 3] : '\n';
        const base: Scenario = { events, seed, lineEnding, maxChunk: 1 + Math.floor(random() * 100) };

        server.next(base);
        const whole = tokenpakStream(request(dialect, framing), fast);
        const reference = await collect(whole);
        expect(whole.resumes).toBe(0);

        // 1 to 3 cuts, each at a random byte of what that connection serves.
        const total = bodyLength(events, framing);
        const cuts = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
          Math.floor(random() * total * 0.7),
        );
        const cutStyle = random() < 0.3 ? 'end' : 'destroy';
        const id = server.next({ ...base, cuts, cutStyle });
        const stream = tokenpakStream(request(dialect, framing), fast);
        const text = await collectText(stream);

        const context = `seed ${seed}, cuts ${cuts.join(',')} (${cutStyle})`;
        expect(text, context).toBe(expected);
        expect(collectTextOf(reference), context).toBe(expected);
        expect(stream.streamId).toBe(id);
        expect(stream.resumes, context).toBeGreaterThanOrEqual(1);
        expect(stream.resumes, context).toBeLessThanOrEqual(cuts.length);
        // One POST per stream: the resumes never send the request again.
        expect(posts() - postsBefore).toBe(2 * (run + 1));
        for (const resume of server.resumeRequests(id)) {
          expect(resume.headers.authorization).toBe('Bearer k1');
          if (framing === 'sse') expect(resume.headers['last-event-id']).toMatch(/^\d+$/);
          else expect(resume.url).toMatch(/\?after=\d+$/);
        }
      }
    });

    test('the events (not only the text) are identical to an uninterrupted run', async () => {
      const random = prng(42);
      const events = dialectEvents(dialect, splitDeltas(randomText(random, 120), random));
      server.next({ events, seed: 42 });
      const reference = await collect(tokenpakStream(request(dialect, framing), fast));
      for (const cut of [0, 1, 17, 100, 333, 1000]) {
        server.next({ events, seed: 42, cuts: [cut, cut, cut], maxChunk: 7 });
        const resumed = await collect(tokenpakStream(request(dialect, framing), fast));
        expect(resumed.map((e) => [e.id, e.event, e.data])).toEqual(
          reference.map((e) => [e.id, e.event, e.data]),
        );
      }
      const expectedCount =
        framing === 'sse' ? events.length : events.filter((e) => e.data !== '[DONE]').length;
      expect(reference.length).toBe(expectedCount);
      if (framing === 'sse') expect(reference.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    });
  },
);

function collectTextOf(events: StreamEvent[]): string {
  return events
    .map((e) => {
      const json = e.json as any;
      return (
        json?.choices?.[0]?.delta?.content ??
        (json?.type === 'content_block_delta' ? json.delta.text : undefined) ??
        (json?.type === 'response.output_text.delta' ? json.delta : undefined) ??
        ''
      );
    })
    .join('');
}

describe('the end of a stream', () => {
  test('NDJSON OpenAI: a clean close after the finish_reason chunk is the end (no usage chunk)', async () => {
    const events = dialectEvents('openai', ['Hel', 'lo']).filter((e) => !e.data.includes('usage'));
    const id = server.next({ events });
    const stream = tokenpakStream(request('openai', 'ndjson'), fast);
    expect(await collectText(stream)).toBe('Hello');
    expect(stream.resumes).toBe(0);
    expect(server.resumeRequests(id)).toHaveLength(0);
  });

  test('a clean close before any end marker is a drop: the stream resumes', async () => {
    const events = dialectEvents('anthropic', ['a', 'b', 'c']);
    const id = server.next({ events, cuts: [bodyLength(events.slice(0, 4), 'sse')], cutStyle: 'end' });
    const stream = tokenpakStream(request('anthropic', 'sse'), fast);
    expect(await collectText(stream)).toBe('abc');
    expect(stream.resumes).toBe(1);
    expect(server.resumeRequests(id)[0]!.headers['last-event-id']).toBe('4');
  });

  test('NDJSON resumes with ?after= the number of whole lines received', async () => {
    const events = dialectEvents('responses', ['x', 'y', 'z']);
    const cut = bodyLength(events.slice(0, 5), 'ndjson') + 3; // 5 whole lines and 3 bytes of the 6th
    const id = server.next({ events, cuts: [cut] });
    const stream = tokenpakStream(request('responses', 'ndjson'), fast);
    expect(await collectText(stream)).toBe('xyz');
    expect(server.resumeRequests(id).map((r) => r.url)).toEqual([`/v1/streams/${id}?after=5`]);
    expect(stream.linesReceived).toBe(events.length);
  });

  test.each([
    [
      'anthropic',
      { event: 'error', data: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' },
      'overloaded_error: Overloaded',
    ],
    [
      'openai',
      { data: '{"error":{"message":"upstream died","type":"api_error"}}' },
      'api_error: upstream died',
    ],
    [
      'responses',
      {
        event: 'response.failed',
        data: '{"type":"response.failed","response":{"status":"failed","error":{"code":"server_error","message":"boom"}}}',
      },
      'server_error: boom',
    ],
  ] as const)(
    '%s: an error event ends the iteration with an error, and nothing is retried',
    async (dialect, error, message) => {
      const events = dialectEvents(dialect, ['one ', 'two ', 'three']);
      const at = dialect === 'openai' ? 3 : dialect === 'anthropic' ? 5 : 6;
      const id = server.next({ events: [...events.slice(0, at), error, ...events.slice(at)] });
      const stream = tokenpakStream(request(dialect, 'sse'), fast);
      let text = '';
      const failure = await (async () => {
        for await (const delta of stream.text()) text += delta;
      })().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(TokenpakStreamError);
      expect((failure as TokenpakStreamError).code).toBe('stream-error');
      expect((failure as TokenpakStreamError).message).toContain(message);
      expect((failure as TokenpakStreamError).event?.data).toBe(error.data);
      expect(text).toBe('one two ');
      expect(stream.resumes).toBe(0);
      expect(server.resumeRequests(id)).toHaveLength(0);
    },
  );

  test('NDJSON: a line with a top-level error is a failure too', async () => {
    const events = dialectEvents('anthropic', ['a', 'b']);
    server.next({
      events: [
        ...events.slice(0, 4),
        { data: '{"type":"error","error":{"type":"api_error","message":"x"}}' },
      ],
    });
    const failure = await collect(tokenpakStream(request('anthropic', 'ndjson'), fast)).catch((e) => e);
    expect(failure).toMatchObject({ code: 'stream-error' });
  });
});

describe('failures', () => {
  test('404 on resume surfaces a clear error, not retried', async () => {
    const events = dialectEvents('openai', ['a', 'b', 'c']);
    const id = server.next({ events, cuts: [bodyLength(events.slice(0, 2), 'sse')], resumeStatus: 404 });
    const stream = tokenpakStream(request('openai', 'sse'), fast);
    const failure = (await collect(stream).catch((e) => e)) as TokenpakStreamError;
    expect(failure).toBeInstanceOf(TokenpakStreamError);
    expect(failure.code).toBe('not-found');
    expect(failure.status).toBe(404);
    expect(failure.streamId).toBe(id);
    expect(failure.message).toContain(`TokenPak stream ${id} cannot be resumed: the server answered 404`);
    expect(failure.message).toContain(`stream ${id} expired`);
    expect(failure.message).toContain('events up to id 2 had been received');
    expect(server.resumeRequests(id)).toHaveLength(1);
  });

  test('maxRetries is honoured: that many resume attempts, then an error that says why', async () => {
    const events = dialectEvents('anthropic', ['a', 'b']);
    const id = server.next({ events, cuts: [50], resumeStatus: 503 });
    const retries: number[] = [];
    const stream = tokenpakStream(request('anthropic', 'sse'), {
      ...fast,
      maxRetries: 3,
      onRetry: (info) => retries.push(info.attempt),
    });
    const failure = (await collect(stream).catch((e) => e)) as TokenpakStreamError;
    expect(failure.code).toBe('retries-exhausted');
    expect(failure.attempts).toBe(3);
    expect(failure.message).toContain('gave up after 3 reconnect attempts in a row');
    expect(failure.message).toContain('503: busy');
    expect(retries).toEqual([1, 2, 3]);
    expect(server.resumeRequests(id)).toHaveLength(3);
  });

  test('maxRetries counts attempts in a row: a stream that progresses between drops survives more drops', async () => {
    const random = prng(7);
    const events = dialectEvents('openai', splitDeltas(randomText(random, 200), random));
    const step = Math.floor(bodyLength(events, 'sse') / 10);
    server.next({ events, cuts: [step, step, step, step, step, step] });
    const stream = tokenpakStream(request('openai', 'sse'), { ...fast, maxRetries: 1 });
    await collect(stream);
    expect(stream.resumes).toBe(6);
  });

  test('connection refused on resume: retried maxRetries times, the cause is in the message', async () => {
    const events = dialectEvents('openai', ['a', 'b']);
    server.next({ events, cuts: [10] });
    const stream = tokenpakStream(request('openai', 'sse'), {
      ...fast,
      maxRetries: 2,
      baseUrl: 'http://127.0.0.1:1',
    });
    const failure = (await collect(stream).catch((e) => e)) as TokenpakStreamError;
    expect(failure.code).toBe('retries-exhausted');
    expect(failure.message).toMatch(/gave up after 2 reconnect attempts.*fetch failed/);
  });

  test('maxRetries: 0 turns resuming off', async () => {
    const events = dialectEvents('openai', ['a', 'b']);
    const id = server.next({ events, cuts: [10] });
    const failure = await collect(tokenpakStream(request('openai', 'sse'), { maxRetries: 0 })).catch(
      (e) => e,
    );
    expect(failure).toMatchObject({ code: 'retries-exhausted' });
    expect(failure.message).toContain('maxRetries is 0');
    expect(server.resumeRequests(id)).toHaveLength(0);
  });

  test('a non-2xx first answer is an http error with the server message, not retried', async () => {
    server.next({ events: [], postStatus: 429 });
    const failure = await collect(tokenpakStream(request('openai', 'sse'), fast)).catch((e) => e);
    expect(failure).toMatchObject({ code: 'http', status: 429, message: 'TokenPak answered 429: slow down' });
  });

  test('a drop without x-tokenpak-stream-id cannot be resumed, and says so', async () => {
    server.next({ events: dialectEvents('openai', ['a']), cuts: [10], noStreamId: true });
    const failure = await collect(tokenpakStream(request('openai', 'sse'), fast)).catch((e) => e);
    expect(failure).toMatchObject({ code: 'not-resumable' });
    expect(failure.message).toContain('no x-tokenpak-stream-id header');
  });

  test('a resume with the wrong key is rejected (401) with a hint', async () => {
    const events = dialectEvents('openai', ['a', 'b']);
    server.next({ events, cuts: [10] });
    const response = await fetch(server.url + PATHS.openai, request('openai', 'sse').init);
    const stream = tokenpakStream(response, { ...fast, headers: { authorization: 'Bearer other' } });
    const failure = await collect(stream).catch((e) => e);
    expect(failure).toMatchObject({ code: 'resume-rejected', status: 401 });
    expect(failure.message).toContain('the key that started the stream');
  });
});

describe('sources', () => {
  test('events a server sends again on resume (ids already received) are skipped; options.fetch is used', async () => {
    const events = dialectEvents('anthropic', ['re', 'pl', 'ay']);
    server.next({ events });
    const reference = await collect(tokenpakStream(request('anthropic', 'sse'), fast));
    server.next({ events, cuts: [400, 200] });
    const seen: string[] = [];
    const replaying: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      if (headers.has('last-event-id')) headers.set('last-event-id', '1'); // a server that replays too much
      seen.push(String(input));
      return fetch(input, { ...init, headers });
    };
    const stream = tokenpakStream(request('anthropic', 'sse'), { ...fast, fetch: replaying });
    const resumed = await collect(stream);
    expect(resumed.map((e) => e.data)).toEqual(reference.map((e) => e.data));
    expect(stream.resumes).toBe(2);
    expect(seen).toHaveLength(3);
  });

  test('a Response promise, with the resume key in options.headers', async () => {
    const events = dialectEvents('anthropic', ['so', 'ur', 'ce']);
    const id = server.next({ events, cuts: [120] });
    const { init } = request('anthropic', 'sse', { authorization: 'Bearer k2' });
    const stream = tokenpakStream(fetch(server.url + PATHS.anthropic, init), {
      ...fast,
      headers: { authorization: 'Bearer k2' },
    });
    expect(await collectText(stream)).toBe('source');
    expect(stream.resumes).toBe(1);
    expect(server.resumeRequests(id)[0]!.headers.authorization).toBe('Bearer k2');
  });

  test('a factory is called when iteration starts, once', async () => {
    const events = dialectEvents('responses', ['fa', 'ctory']);
    server.next({ events, cuts: [300] });
    let calls = 0;
    const { init } = request('responses', 'ndjson');
    const stream = tokenpakStream(
      () => {
        calls++;
        return fetch(server.url + PATHS.responses, init);
      },
      { ...fast, headers: { authorization: 'Bearer k1' } },
    );
    expect(calls).toBe(0);
    expect(await collectText(stream)).toBe('factory');
    expect(calls).toBe(1);
    expect(stream.framing).toBe('ndjson');
  });

  test('x-api-key of the original request is sent on resume; baseUrl with /v1 is accepted', async () => {
    const events = dialectEvents('anthropic', ['k', 'e', 'y']);
    const id = server.next({ events, cuts: [100] });
    const { url, init } = request('anthropic', 'sse');
    const headers = { ...(init.headers as Record<string, string>), 'x-api-key': 'sk-1' };
    delete (headers as Record<string, string>).authorization;
    const stream = tokenpakStream(
      { url, init: { ...init, headers } },
      { ...fast, baseUrl: server.url + '/v1/' },
    );
    expect(await collectText(stream)).toBe('key');
    expect(server.resumeRequests(id)[0]!.headers['x-api-key']).toBe('sk-1');
  });

  test('a stream is iterated once', async () => {
    server.next({ events: dialectEvents('openai', ['a']) });
    const stream = tokenpakStream(request('openai', 'sse'), fast);
    await collect(stream);
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/iterated once/);
  });
});

describe('abort and idle', () => {
  test("the caller's AbortSignal stops a stalled read and closes the connection", async () => {
    const events = dialectEvents('openai', ['a', 'b', 'c']);
    server.next({ events, stalls: [bodyLength(events.slice(0, 3), 'sse')] });
    const controller = new AbortController();
    const stream = tokenpakStream(request('openai', 'sse'), { ...fast, signal: controller.signal });
    const received: StreamEvent[] = [];
    const failure = await (async () => {
      for await (const event of stream) {
        received.push(event);
        if (received.length === 3) setTimeout(() => controller.abort(), 20);
      }
    })().catch((e) => e);
    expect(failure).toBeInstanceOf(DOMException);
    expect(failure.name).toBe('AbortError');
    expect(received).toHaveLength(3);
    await server.requests.at(-1)!.closed;
  });

  test("the caller's AbortSignal stops the backoff wait: no resume request is made", async () => {
    const events = dialectEvents('openai', ['a', 'b', 'c']);
    const id = server.next({ events, cuts: [100] });
    const controller = new AbortController();
    const started = Date.now();
    const stream = tokenpakStream(request('openai', 'sse'), {
      backoffMs: 60_000,
      maxBackoffMs: 60_000,
      signal: controller.signal,
      onRetry: () => setTimeout(() => controller.abort(new Error('caller gave up')), 10),
    });
    const failure = await collect(stream).catch((e) => e);
    expect(failure).toEqual(new Error('caller gave up'));
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.resumeRequests(id)).toHaveLength(0);
  });

  test("the caller's AbortSignal stops the wait for a Response promise that never settles", async () => {
    const controller = new AbortController();
    const stream = tokenpakStream(new Promise<Response>(() => {}), { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(collect(stream)).rejects.toMatchObject({ name: 'AbortError' });
  });

  test('an aborted signal before the start sends nothing', async () => {
    const before = server.requests.length;
    const stream = tokenpakStream(request('openai', 'sse'), { signal: AbortSignal.abort() });
    await expect(collect(stream)).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests.length).toBe(before);
  });

  test('breaking out of the loop closes the connection', async () => {
    const events = dialectEvents('anthropic', ['a', 'b', 'c']);
    server.next({ events, stalls: [bodyLength(events.slice(0, 4), 'sse')] });
    for await (const event of tokenpakStream(request('anthropic', 'sse'), fast)) {
      if (event.id === 2) break;
    }
    await server.requests.at(-1)!.closed;
  });

  test('idleTimeoutMs: a silent connection counts as dropped and resumes', async () => {
    const events = dialectEvents('responses', ['id', 'le']);
    const id = server.next({ events, stalls: [bodyLength(events.slice(0, 3), 'sse')] });
    const stream = tokenpakStream(request('responses', 'sse'), { ...fast, idleTimeoutMs: 100 });
    expect(await collectText(stream)).toBe('idle');
    expect(stream.resumes).toBe(1);
    expect(server.resumeRequests(id)[0]!.headers['last-event-id']).toBe('3');
  });
});
