/**
 * Synthetic Ollama answers (no genuine recording exists for these: see provider-utils/test/fixtures/README.md)
 * written in the documented /api/chat format, served by the kit's fake upstream: tool calls, thinking, an
 * `{"error"}` line inside a 200, an unknown model, abort, a non-streamed answer, and the options.
 */
import type { Provider, ProviderConfigEntry } from '@tokenpak/provider';
import {
  assertCanonicalOrder,
  callContext,
  collectEvents,
  type FakeUpstream,
  providerEntry,
  replay,
  replayModes,
  startFakeUpstream,
  userRequest,
} from '@tokenpak/provider-utils/test';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import pkg, { createOllamaProvider, OLLAMA_BASE_URL } from '../src/index.ts';

const NDJSON = 'application/x-ndjson';
const ndjson = (...lines: object[]) => lines.map((line) => `${JSON.stringify(line)}\n`).join('');
const at = '2025-01-01T00:00:00Z';
const chunk = (message: object) => ({ model: 'qwen3', created_at: at, message, done: false });
const done = (extra: object = {}) => ({
  model: 'qwen3',
  created_at: at,
  message: { role: 'assistant', content: '' },
  done: true,
  done_reason: 'stop',
  total_duration: 1000,
  prompt_eval_count: 12,
  eval_count: 34,
  ...extra,
});

let upstream: FakeUpstream;
const providers: Provider[] = [];

async function make(extra: Partial<ProviderConfigEntry> = {}): Promise<Provider> {
  const provider = await pkg.create({
    name: 'local',
    config: providerEntry({ type: 'ollama', base_url: upstream.url, ...extra }),
  });
  providers.push(provider);
  return provider;
}

function serve(body: string, status = 200, contentType = NDJSON) {
  upstream.handle((_request, res) =>
    replay(res, body, { status, contentType, chunking: { seed: 7, maxChunk: 9 } }),
  );
}

beforeAll(async () => {
  upstream = await startFakeUpstream();
});

afterAll(async () => {
  for (const provider of providers) await provider.close?.();
  await upstream.close();
});

const TOOLS = ndjson(
  chunk({ role: 'assistant', content: 'Checking.' }),
  chunk({
    role: 'assistant',
    content: '',
    tool_calls: [
      { function: { name: 'get_weather', arguments: { city: 'Paris', units: 'c' } } },
      { id: 'call_x1', function: { index: 1, name: 'get_weather', arguments: { city: 'Tōkyō' } } },
    ],
  }),
  done(),
);

const THINKING = ndjson(
  chunk({ role: 'assistant', content: '', thinking: 'The user ' }),
  chunk({ role: 'assistant', content: '', thinking: 'says hi.' }),
  chunk({ role: 'assistant', content: 'Hello' }),
  chunk({ role: 'assistant', content: ' there!' }),
  done({ done_reason: 'length' }),
);

describe('streams', () => {
  test.each(replayModes())(
    'whole tool calls, $name: one block each, JSON arguments, tool-calls',
    async (mode) => {
      const provider = await make();
      upstream.handle((_request, res) => replay(res, TOOLS, { contentType: NDJSON, mode }));
      const { events, summary } = await collectEvents(
        await provider.stream(userRequest('weather?'), callContext()),
      );
      assertCanonicalOrder(events, { denseIndices: true });
      expect(summary.blockTypes).toEqual(['text', 'tool-call', 'tool-call']);
      expect(summary.text).toBe('Checking.');
      expect(summary.toolCalls.map((call) => [call.name, call.input])).toEqual([
        ['get_weather', { city: 'Paris', units: 'c' }],
        ['get_weather', { city: 'Tōkyō' }],
      ]);
      expect(summary.toolCalls[0]?.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
      expect(summary.toolCalls[1]?.id).toBe('call_x1');
      expect(summary.toolCalls[0]?.arguments).toBe('{"city":"Paris","units":"c"}');
      expect(summary.finishReason).toBe('tool-calls');
      expect(summary.usage).toEqual({ inputTokens: 12, outputTokens: 34 });
    },
  );

  test('thinking is a reasoning block before the text; length is length', async () => {
    const provider = await make();
    serve(THINKING);
    const { events, summary } = await collectEvents(
      await provider.stream(userRequest('hi', { reasoning: { effort: 'high' } }), callContext()),
    );
    assertCanonicalOrder(events, { denseIndices: true });
    expect(summary.blockTypes).toEqual(['reasoning', 'text']);
    expect(summary.reasoning).toBe('The user says hi.');
    expect(summary.text).toBe('Hello there!');
    expect(summary.finishReason).toBe('length');
    expect(events[0]).toMatchObject({ type: 'message-start', model: 'qwen3' });
    expect(upstream.requests.at(-1)?.json).toMatchObject({ think: 'high' });
  });

  test('an {"error"} line inside a 200 ends the stream with an error event', async () => {
    const provider = await make();
    serve(
      ndjson(chunk({ role: 'assistant', content: 'Partial' }), {
        error: 'an error was encountered while running the model: unexpected EOF',
      }),
    );
    const { events, summary } = await collectEvents(await provider.stream(userRequest('x'), callContext()));
    assertCanonicalOrder(events);
    expect(summary.text).toBe('Partial');
    expect(summary.error).toMatchObject({ type: 'api_error', provider: 'local' });
    expect(summary.error?.message).toContain('unexpected EOF');
    expect(events.at(-1)?.type).toBe('error');
  });

  test('a line that is not JSON: bad_upstream', async () => {
    const provider = await make();
    serve(`${JSON.stringify(chunk({ role: 'assistant', content: 'a' }))}\n<html>oops</html>\n`);
    const { summary } = await collectEvents(await provider.stream(userRequest('x'), callContext()));
    expect(summary.error).toMatchObject({ type: 'bad_upstream' });
  });

  test('a server that ignores stream: true and sends one JSON body is served as a stream', async () => {
    const provider = await make();
    serve(
      JSON.stringify(done({ message: { role: 'assistant', content: 'whole answer' } })),
      200,
      'application/json',
    );
    const { events, summary } = await collectEvents(await provider.stream(userRequest('x'), callContext()));
    assertCanonicalOrder(events);
    expect(summary).toMatchObject({ text: 'whole answer', finishReason: 'stop' });
  });

  test('supports_streaming: false asks for stream: false and simulates the stream', async () => {
    const provider = await make({ supports_streaming: false });
    serve(
      JSON.stringify(done({ message: { role: 'assistant', content: 'one two' } })),
      200,
      'application/json',
    );
    const { summary } = await collectEvents(await provider.stream(userRequest('x'), callContext()));
    expect(summary.text).toBe('one two');
    expect(upstream.requests.at(-1)?.json).toMatchObject({ stream: false });
  });
});

describe('errors and abort', () => {
  test('404 for an unknown model: not_found naming the model, key redacted', async () => {
    const provider = await make({ api_key: 'sk-secret-key' });
    upstream.handle((_request, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'model "nope:7b" not found, try pulling it first' }));
    });
    const failure = await provider
      .stream(userRequest('x'), callContext({ model: 'nope:7b' }))
      .catch((e) => e);
    expect(failure).toMatchObject({
      name: 'ProviderError',
      type: 'not_found',
      status: 404,
      provider: 'local',
    });
    expect(failure.message).toContain('nope:7b');
    expect(upstream.requests.at(-1)?.headers.authorization).toBe('Bearer sk-secret-key');
  });

  test('404 without a body still names the model', async () => {
    const provider = await make();
    upstream.handle((_request, res) => {
      res.writeHead(404).end();
    });
    const failure = await provider
      .complete(userRequest('x'), callContext({ model: 'ghost' }))
      .catch((e) => e);
    expect(failure).toMatchObject({ type: 'not_found', status: 404 });
    expect(failure.message).toContain("'ghost'");
  });

  test('500 with {error}: api_error with the status and message, secrets redacted', async () => {
    const provider = await make({ api_key: 'sk-secret-key' });
    upstream.handle((_request, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'runner crashed near sk-secret-key' }));
    });
    const failure = await provider.stream(userRequest('x'), callContext()).catch((e) => e);
    expect(failure).toMatchObject({ type: 'api_error', status: 500, retryable: true });
    expect(failure.message).toContain('runner crashed');
    expect(failure.message).not.toContain('sk-secret-key');
  });

  test('abort via the signal mid-stream: the stream ends with an aborted error', async () => {
    const provider = await make();
    upstream.handle((_request, res) => {
      res.writeHead(200, { 'content-type': NDJSON });
      res.write(ndjson(chunk({ role: 'assistant', content: 'first' })));
      // …and never more.
    });
    const controller = new AbortController();
    const stream = await provider.stream(userRequest('x'), callContext({ signal: controller.signal }));
    const reader = stream.getReader();
    const events = [];
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      events.push(value);
      if (value.type === 'text-delta') controller.abort();
    }
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'aborted' } });
    expect(await upstream.requests.at(-1)?.closed).toEqual({ finished: false });
  });

  test('an already aborted signal: rejects before the network', async () => {
    const provider = await make();
    const before = upstream.requests.length;
    const controller = new AbortController();
    controller.abort();
    const failure = await provider
      .stream(userRequest('x'), callContext({ signal: controller.signal }))
      .catch((e) => e);
    expect(failure).toMatchObject({ code: 'aborted' });
    expect(upstream.requests.length).toBe(before);
  });
});

describe('complete()', () => {
  test('stream: false, text + thinking + tool calls + usage', async () => {
    const provider = await make();
    serve(
      JSON.stringify(
        done({
          message: {
            role: 'assistant',
            content: 'Let me look.',
            thinking: 'Need weather.',
            tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Oslo' } } }],
          },
        }),
      ),
      200,
      'application/json',
    );
    const response = await provider.complete(
      userRequest('x', { stream: false }),
      callContext({ model: 'qwen3' }),
    );
    expect(upstream.requests.at(-1)?.json).toMatchObject({ model: 'qwen3', stream: false });
    expect(response).toMatchObject({
      model: 'qwen3',
      finishReason: 'tool-calls',
      usage: { inputTokens: 12, outputTokens: 34 },
      content: [
        { type: 'reasoning', text: 'Need weather.' },
        { type: 'text', text: 'Let me look.' },
        { type: 'tool-call', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      ],
    });
  });

  test('an upstream that streams NDJSON anyway is collected', async () => {
    const provider = await make();
    serve(THINKING);
    const response = await provider.complete(userRequest('x'), callContext());
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'The user says hi.' },
      { type: 'text', text: 'Hello there!' },
    ]);
    expect(response.finishReason).toBe('length');
  });

  test('a 200 whose body is {error}: rejects with it', async () => {
    const provider = await make();
    serve(JSON.stringify({ error: 'out of memory' }), 200, 'application/json');
    const failure = await provider.complete(userRequest('x'), callContext()).catch((e) => e);
    expect(failure).toMatchObject({ type: 'api_error', provider: 'local' });
    expect(failure.message).toContain('out of memory');
  });
});

describe('the package', () => {
  test('exports type, optionsSchema and create; the default base URL', async () => {
    expect(pkg.type).toBe('ollama');
    expect(OLLAMA_BASE_URL).toBe('http://127.0.0.1:11434');
    const provider = createOllamaProvider({ name: 'o', config: providerEntry({ type: 'ollama' }) });
    expect(provider).toMatchObject({ type: 'ollama', dialect: 'ollama', supportsStreaming: true });
    await provider.close?.();
  });

  test('a base URL with a path keeps it', async () => {
    const provider = await make({ base_url: `${upstream.url}/ollama/` });
    serve(ndjson(done()));
    await collectEvents(await provider.stream(userRequest('x'), callContext()));
    expect(upstream.requests.at(-1)?.url).toBe('/ollama/api/chat');
  });

  test('the options schema: defaults, checks, a misspelt option', async () => {
    const validate = (value: unknown) => pkg.optionsSchema['~standard'].validate(value);
    expect(await validate({})).toMatchObject({ value: {} });
    expect(await validate({ keep_alive: '10m', num_ctx: 8192, think: 'low' })).toMatchObject({
      value: { keep_alive: '10m', num_ctx: 8192, think: 'low' },
    });
    const bad = (await validate({ num_ctx: 0 })) as unknown as {
      issues: Array<{ path: Array<{ key: string }> }>;
    };
    expect(bad.issues[0]?.path.map((p) => p.key)).toEqual(['num_ctx']);
    expect(await validate({ thnk: true })).toMatchObject({
      issues: [{ message: "is not an option of type ollama (did you mean 'think'?)" }],
    });
    expect(await validate({ temperature: 1 })).toMatchObject({
      issues: [
        {
          message: expect.stringMatching(
            /^is not an option of type ollama; its options: keep_alive, num_ctx, think \(besides/,
          ),
        },
      ],
    });
  });

  test('options reach the body: keep_alive, num_ctx, think (only when the request has no reasoning)', async () => {
    const provider = await make({ keep_alive: -1, num_ctx: 4096, think: false });
    serve(ndjson(done()));
    await collectEvents(await provider.stream(userRequest('x', { maxTokens: 50 }), callContext()));
    expect(upstream.requests.at(-1)?.json).toMatchObject({
      keep_alive: -1,
      think: false,
      options: { num_ctx: 4096, num_predict: 50 },
    });
    serve(ndjson(done()));
    await collectEvents(
      await provider.stream(userRequest('x', { reasoning: { effort: 'low' } }), callContext()),
    );
    expect(upstream.requests.at(-1)?.json).toMatchObject({ think: 'low' });
  });
});
