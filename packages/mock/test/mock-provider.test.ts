import type { CanonicalRequest, StreamEvent } from '@tokenpak/provider';
import { collectResponse } from '@tokenpak/provider-utils';
import { callContext, providerEntry, readAll, userRequest } from '@tokenpak/provider-utils/test';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { DEFAULT_TEXT } from '../src/default-texts.ts';
import { mockOptionsSchema } from '../src/mock-options.ts';
import { createMockProvider } from '../src/mock-provider.ts';

function mock(options: Record<string, unknown> = {}) {
  return createMockProvider({ name: 'mock', config: providerEntry({ type: 'mock', ...options }) });
}

const textOf = (events: StreamEvent[]) => events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('');
const deltas = (events: StreamEvent[]) => events.filter((e) => e.type === 'text-delta');

const weatherTools: Partial<CanonicalRequest> = {
  tools: [
    { name: 'get_weather', inputSchema: { type: 'object' } },
    { name: 'get_time', inputSchema: { type: 'object' } },
  ],
};

afterEach(() => {
  vi.useRealTimers();
});

describe('mock answers', () => {
  test('the default answer is deterministic, word by word, with usage counted in words', async () => {
    const provider = mock();
    const request = userRequest('Tell me something about proxies please');
    const first = await readAll(await provider.stream(request, callContext()));
    const second = await readAll(await provider.stream(request, callContext()));
    expect(second).toEqual(first);
    expect(textOf(first)).toBe(DEFAULT_TEXT);
    expect(deltas(first).length).toBe(DEFAULT_TEXT.split(/\s+/).length);
    for (const delta of deltas(first)) expect((delta as { text: string }).text).toMatch(/^\s*\S+$/);
    expect(first[0]).toMatchObject({
      type: 'message-start',
      model: 'upstream-model',
      usage: { inputTokens: 6 },
    });
    expect(first.at(-1)).toEqual({
      type: 'finish',
      reason: 'stop',
      usage: { inputTokens: 6, outputTokens: deltas(first).length },
    });
  });

  test('complete() returns exactly what the stream carries', async () => {
    const provider = mock({ tool_call: { arguments: { city: 'Paris' } } });
    for (const request of [userRequest('hello there'), userRequest('weather?', weatherTools)]) {
      const streamed = await collectResponse(await provider.stream(request, callContext()));
      expect(await provider.complete({ ...request, stream: false }, callContext())).toEqual(streamed);
    }
  });

  test('a haiku request gets three short lines; "count to 5" counts', async () => {
    const provider = mock();
    const haiku = await provider.complete(userRequest('Write a haiku about API proxies'), callContext());
    const text = haiku.content[0]?.type === 'text' ? haiku.content[0].text : '';
    expect(text.split('\n')).toHaveLength(3);
    const count = await provider.complete(userRequest('Count to 5'), callContext());
    expect(count.content).toEqual([{ type: 'text', text: '1, 2, 3, 4, 5.' }]);
  });

  test('echo answers with the last user message', async () => {
    const provider = mock({ echo: true });
    const request = userRequest('first', {
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'first' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
        { role: 'user', content: [{ type: 'text', text: 'say  this back\nexactly' }] },
      ],
    });
    expect(textOf(await readAll(await provider.stream(request, callContext())))).toBe(
      'say  this back\nexactly',
    );
  });

  test('responses: a model map, and rules by substring, /regex/ and model, first match wins', async () => {
    const byModel = mock({ responses: { 'upstream-model': 'canned for the model' } });
    expect((await byModel.complete(userRequest('x'), callContext())).content).toEqual([
      { type: 'text', text: 'canned for the model' },
    ]);
    const other = await byModel.complete(userRequest('x'), callContext({ model: 'other' }));
    expect(other.content).toEqual([{ type: 'text', text: DEFAULT_TEXT }]);

    const rules = mock({
      echo: true,
      responses: [
        { match: 'WEATHER', text: 'sunny' },
        { match: '/^order #(\\d+)$/i', text: 'shipped' },
        { model: 'small', match: 'hi', text: 'hi from small' },
      ],
    });
    const answer = async (text: string, model = 'upstream-model') => {
      const response = await rules.complete(userRequest(text), callContext({ model }));
      return response.content[0]?.type === 'text' ? response.content[0].text : undefined;
    };
    expect(await answer('what is the weather like')).toBe('sunny');
    expect(await answer('ORDER #42')).toBe('shipped');
    expect(await answer('order #42 please')).toBe('order #42 please');
    expect(await answer('hi', 'small')).toBe('hi from small');
    expect(await answer('hi', 'large')).toBe('hi');
  });

  test('max tokens cuts the answer (finish length), a stop sequence ends it (finish stop-sequence)', async () => {
    const provider = mock({ responses: { 'upstream-model': 'one two three four five' } });
    const short = await provider.complete(userRequest('x', { maxTokens: 2 }), callContext());
    expect(short).toMatchObject({ content: [{ type: 'text', text: 'one two' }], finishReason: 'length' });
    const stopped = await provider.complete(
      userRequest('x', { stopSequences: [' four', 'three'] }),
      callContext(),
    );
    expect(stopped).toMatchObject({
      content: [{ type: 'text', text: 'one two ' }],
      finishReason: 'stop-sequence',
      stopSequence: 'three',
    });
  });
});

describe('mock tool calls', () => {
  test('tool_call calls the first offered tool with canned arguments, streamed in pieces', async () => {
    const provider = mock({ tool_call: { arguments: { city: 'Paris', units: 'c' } } });
    const events = await readAll(await provider.stream(userRequest('weather?', weatherTools), callContext()));
    const start = events.find((e) => e.type === 'block-start');
    expect(start).toMatchObject({ block: { type: 'tool-call', name: 'get_weather' } });
    const pieces = events.filter((e) => e.type === 'tool-call-delta');
    expect(pieces.length).toBeGreaterThan(1);
    const args = pieces.map((e) => (e.type === 'tool-call-delta' ? e.argumentsDelta : '')).join('');
    expect(JSON.parse(args)).toEqual({ city: 'Paris', units: 'c' });
    expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'tool-calls' });
  });

  test('tool_call: true sends {} ; a named tool is preferred when offered', async () => {
    const plain = await mock({ tool_call: true }).complete(userRequest('x', weatherTools), callContext());
    expect(plain.content).toMatchObject([{ type: 'tool-call', name: 'get_weather', arguments: '{}' }]);
    const named = await mock({ tool_call: { name: 'get_time' } }).complete(
      userRequest('x', weatherTools),
      callContext(),
    );
    expect(named.content).toMatchObject([{ type: 'tool-call', name: 'get_time' }]);
  });

  test('after a tool result, or with tool choice none, the mock answers with text', async () => {
    const provider = mock({ tool_call: true, echo: true });
    const afterResult = userRequest('x', {
      ...weatherTools,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'weather?' }] },
        {
          role: 'assistant',
          content: [{ type: 'tool-call', id: 'c1', name: 'get_weather', arguments: '{}' }],
        },
        {
          role: 'user',
          content: [
            { type: 'tool-result', toolCallId: 'c1', content: [{ type: 'text', text: '21 degrees' }] },
          ],
        },
      ],
    });
    expect((await provider.complete(afterResult, callContext())).content).toEqual([
      { type: 'text', text: '21 degrees' },
    ]);
    const none = await provider.complete(
      userRequest('hi', { ...weatherTools, toolChoice: { type: 'none' } }),
      callContext(),
    );
    expect(none.content).toEqual([{ type: 'text', text: 'hi' }]);
  });

  test('a forced tool choice is honoured even without tool_call', async () => {
    const forced = userRequest('x', { ...weatherTools, toolChoice: { type: 'tool', name: 'get_time' } });
    expect((await mock().complete(forced, callContext())).content).toMatchObject([{ name: 'get_time' }]);
  });
});

describe('mock faults', () => {
  test('fail_after_tokens emits N deltas then an error event (no finish)', async () => {
    const events = await readAll(
      await mock({ fail_after_tokens: 3 }).stream(userRequest('x'), callContext()),
    );
    expect(deltas(events)).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { type: 'overloaded', retryable: true } });
    expect(events.some((e) => e.type === 'finish')).toBe(false);
  });

  test('fail_after_tokens with error_type raises that type; complete() rejects', async () => {
    const provider = mock({ fail_after_tokens: 0, error_type: 'rate_limit' });
    const events = await readAll(await provider.stream(userRequest('x'), callContext()));
    expect(deltas(events)).toHaveLength(0);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { type: 'rate_limit', status: 429 } });
    await expect(provider.complete(userRequest('x'), callContext())).rejects.toMatchObject({
      type: 'rate_limit',
    });
  });

  test('error_type alone fails before the first byte', async () => {
    const onUpstreamResponse = vi.fn();
    const provider = mock({ error_type: 'api_error' });
    await expect(
      provider.stream(userRequest('x'), callContext({ onUpstreamResponse })),
    ).rejects.toMatchObject({
      name: 'ProviderError',
      type: 'api_error',
      provider: 'mock',
    });
    expect(onUpstreamResponse).not.toHaveBeenCalled();
  });

  test('latency_ms holds the stream back, then onUpstreamResponse fires', async () => {
    vi.useFakeTimers();
    const onUpstreamResponse = vi.fn();
    const started = mock({ latency_ms: 1000 }).stream(userRequest('x'), callContext({ onUpstreamResponse }));
    await vi.advanceTimersByTimeAsync(999);
    expect(onUpstreamResponse).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(onUpstreamResponse).toHaveBeenCalledTimes(1);
    await expect(started).resolves.toBeInstanceOf(ReadableStream);
  });

  test('tokens_per_second paces the deltas', async () => {
    vi.useFakeTimers();
    const provider = mock({ tokens_per_second: 10, responses: { 'upstream-model': 'a b c' } });
    const reader = (await provider.stream(userRequest('x'), callContext())).getReader();
    const seen: string[] = [];
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        if (value.type === 'text-delta') seen.push(value.text);
      }
    })();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(100);
    expect(seen).toEqual(['a', ' b']);
    await vi.advanceTimersByTimeAsync(100);
    await pump;
    expect(seen).toEqual(['a', ' b', ' c']);
  });

  test('stall_ms stops the stream after the first token until the stall is over', async () => {
    vi.useFakeTimers();
    const provider = mock({ stall_ms: 5000, responses: { 'upstream-model': 'a b' } });
    const reader = (await provider.stream(userRequest('x'), callContext())).getReader();
    const read = async () => {
      for (;;) {
        const { value } = await reader.read();
        if (value?.type === 'text-delta') return value.text;
      }
    };
    expect(await read()).toBe('a');
    let second: string | undefined;
    const pending = read().then((text) => {
      second = text;
    });
    await vi.advanceTimersByTimeAsync(4999);
    expect(second).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(second).toBe(' b');
  });

  test('abort during a stall ends the stream with an error event and clears every timer', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const provider = mock({ stall_ms: 60_000 });
    const stream = await provider.stream(userRequest('x'), callContext({ signal: controller.signal }));
    const collected = readAll(stream);
    await vi.advanceTimersByTimeAsync(10);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    const events = await collected;
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'aborted', retryable: false } });
    expect(vi.getTimerCount()).toBe(0);
  });

  test('abort during latency rejects at once', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const started = mock({ latency_ms: 60_000 }).stream(
      userRequest('x'),
      callContext({ signal: controller.signal }),
    );
    controller.abort();
    await expect(started).rejects.toMatchObject({ code: 'aborted' });
    expect(vi.getTimerCount()).toBe(0);
  });

  test('cancelling the stream stops its timers', async () => {
    vi.useFakeTimers();
    const stream = await mock({ stall_ms: 60_000 }).stream(userRequest('x'), callContext());
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    await reader.read();
    void reader.read();
    await vi.advanceTimersByTimeAsync(1);
    expect(vi.getTimerCount()).toBe(1);
    await reader.cancel();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('mock complete() is paced like the stream', () => {
  /** Fake milliseconds from the call until the stream's last event / complete() settling. */
  async function fakeDuration(run: () => Promise<unknown>): Promise<number> {
    const start = Date.now();
    let end = -1;
    const settled = run().then(
      () => {
        end = Date.now();
      },
      () => {
        end = Date.now();
      },
    );
    await vi.runAllTimersAsync();
    await settled;
    return end - start;
  }

  test('latency_ms + a pause per token: complete() settles only when the last token would have', async () => {
    vi.useFakeTimers();
    const provider = mock({
      latency_ms: 500,
      tokens_per_second: 10,
      responses: { 'upstream-model': 'a b c d' },
    });
    let answer: string | undefined;
    const pending = provider.complete(userRequest('x'), callContext()).then((response) => {
      answer = response.content[0]?.type === 'text' ? response.content[0].text : '';
    });
    // 500 ms latency, then 4 tokens: the first at once, three pauses of 100 ms.
    await vi.advanceTimersByTimeAsync(799);
    expect(answer).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(answer).toBe('a b c d');
    expect(vi.getTimerCount()).toBe(0);
  });

  test.each([
    { tokens_per_second: 10 },
    { latency_ms: 150, tokens_per_second: 50 },
    { stall_ms: 2000 },
    { tokens_per_second: 20, stall_ms: 1000, stall_after_tokens: 2 },
    { tokens_per_second: 10, stall_ms: 1000, stall_after_tokens: 100 },
    { tokens_per_second: 10, fail_after_tokens: 2 },
    { tokens_per_second: 10, fail_after_tokens: 50 },
  ])('%j: complete() takes exactly as long as the stream', async (options) => {
    vi.useFakeTimers();
    const provider = mock({ ...options, responses: { 'upstream-model': 'one two three four five six' } });
    const streamed = await fakeDuration(async () =>
      readAll(await provider.stream(userRequest('x'), callContext())),
    );
    const completed = await fakeDuration(() => provider.complete(userRequest('x'), callContext()));
    expect(streamed).toBeGreaterThan(0);
    expect(completed).toBe(streamed);
  });

  test('abort while complete() waits for its tokens rejects at once and leaves no timer', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const started = mock({ tokens_per_second: 1 }).complete(
      userRequest('x'),
      callContext({ signal: controller.signal }),
    );
    const outcome = started.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    expect(await outcome).toMatchObject({ name: 'ProviderError', code: 'aborted' });
    expect(vi.getTimerCount()).toBe(0);
  });

  test('supports_streaming: false waits the whole answer before the first event, then replays it', async () => {
    vi.useFakeTimers();
    const provider = mock({
      supports_streaming: false,
      tokens_per_second: 10,
      responses: { 'upstream-model': 'a b c' },
    });
    let stream: ReadableStream<StreamEvent> | undefined;
    const pending = provider.stream(userRequest('x'), callContext()).then((s) => {
      stream = s;
    });
    await vi.advanceTimersByTimeAsync(199);
    expect(stream).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(textOf(await readAll(stream!))).toBe('a b c');
  });
});

describe('mock options', () => {
  test.each([
    [{ latency_ms: -1 }, 'providers.mock.latency_ms must be a number ≥ 0 (got -1)'],
    [{ tokens_per_second: 'fast' }, 'providers.mock.tokens_per_second must be a number ≥ 0 (got "fast")'],
    [{ fail_after_tokens: 1.5 }, 'providers.mock.fail_after_tokens must be a whole number ≥ 0 (got 1.5)'],
    [{ error_type: 'boom' }, 'providers.mock.error_type must be one of'],
    [{ echo: 'yes' }, 'providers.mock.echo must be true or false (got "yes")'],
    [{ responses: 'hi' }, 'providers.mock.responses must be a map of model id → text'],
    [{ responses: [{ text: 'x' }] }, 'providers.mock.responses[0] must be given `match` and/or `model`'],
    [
      { responses: [{ match: '/(/', text: 'x' }] },
      'providers.mock.responses[0].match must be a valid regular expression',
    ],
    [
      { tool_call: { arguments: '{nope' } },
      'providers.mock.tool_call.arguments must be an object or a JSON object text',
    ],
    [{ latency: 10 }, "providers.mock.latency is not an option of type mock (did you mean 'latency_ms'?)"],
  ])('%j is refused with a clear message', (options, message) => {
    expect(() => mock(options)).toThrow(message);
  });

  test('supports_streaming: false still streams (simulated from the complete answer)', async () => {
    const provider = mock({ supports_streaming: false });
    expect(provider.supportsStreaming).toBe(false);
    const events = await readAll(await provider.stream(userRequest('x'), callContext()));
    expect(textOf(events)).toBe(DEFAULT_TEXT);
  });
});

describe('mockOptionsSchema (validate-config and the registry)', () => {
  const validate = async (options: unknown) => await mockOptionsSchema['~standard'].validate(options);

  test('valid options are returned as given', async () => {
    const options = { latency_ms: 5, responses: [{ match: 'hi', text: 'hello' }], tool_call: true };
    expect(await validate(options)).toEqual({ value: options });
    expect(await validate({})).toEqual({ value: {} });
  });

  test.each([
    [{ latency_ms: -1 }, ['latency_ms'], 'must be a number ≥ 0 (got -1)'],
    [
      { responses: [{ text: 'x', mach: 'y' }] },
      ['responses', 0, 'mach'],
      'must be absent (known keys: match, model, text) (got "y")',
    ],
    [{ responses: { 'gpt-4.1': 1 } }, ['responses', 'gpt-4.1'], 'must be a string (the canned text) (got 1)'],
    [{ tool_call: { name: '' } }, ['tool_call', 'name'], 'must be a non-empty string (got "")'],
    [
      { tokens_per_sec: 5 },
      ['tokens_per_sec'],
      "is not an option of type mock (did you mean 'tokens_per_second'?)",
    ],
  ])('%j is an issue at its path', async (options, path, message) => {
    const result = await validate(options);
    expect(result.issues).toEqual([{ path, message: expect.stringContaining(message) }]);
  });
});
