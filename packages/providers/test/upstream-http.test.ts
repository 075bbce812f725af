/** The HTTP adapters against a fake upstream on loopback: request shape, errors, timeouts, abort, keep-alive. */

import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createAnthropicProvider } from '@tokenpak/anthropic';
import { createOpenAICompatibleProvider, createOpenAIProvider } from '@tokenpak/openai';
import type { Provider, ProviderConfigEntry, StreamEvent } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import {
  callContext,
  type FakeUpstream,
  providerEntry,
  readAll,
  replay,
  startFakeUpstream,
  userRequest,
} from '@tokenpak/provider-utils/test';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { fixtureUrl } from './helpers/fixtures.ts';

const OPENAI_KEY = 'sk-test-0123456789abcdefSECRET';
const ANTHROPIC_KEY = 'sk-ant-test-9876543210SECRET';
const fixture = (path: string) => readFileSync(fixtureUrl(path), 'utf8');

let upstream: FakeUpstream;
const providers: Provider[] = [];

beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close?.()));
  upstream.requests.length = 0;
});
afterAll(async () => {
  await upstream.close();
});

function openai(extra: Partial<ProviderConfigEntry> = {}): Provider {
  const provider = createOpenAIProvider({
    name: 'openai',
    config: providerEntry({ type: 'openai', api_key: OPENAI_KEY, base_url: `${upstream.url}/v1`, ...extra }),
  });
  providers.push(provider);
  return provider;
}

function anthropic(extra: Partial<ProviderConfigEntry> = {}): Provider {
  const provider = createAnthropicProvider({
    name: 'claude',
    config: providerEntry({ type: 'anthropic', api_key: ANTHROPIC_KEY, base_url: upstream.url, ...extra }),
  });
  providers.push(provider);
  return provider;
}

/** The request headers that matter (drops host, length and connection). */
function sentHeaders(index = 0): Record<string, unknown> {
  const { host, 'content-length': _length, connection, ...rest } = upstream.requests[index]!.headers;
  return rest;
}

const textOf = (events: StreamEvent[]) => events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('');

async function caught(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected a rejection');
}

function expectNoKeys(error: ProviderError) {
  const everything = `${error.message} ${JSON.stringify(error)} ${String(error.stack)}`;
  expect(everything).not.toContain(OPENAI_KEY);
  expect(everything).not.toContain(ANTHROPIC_KEY);
}

describe('what is sent upstream', () => {
  test('openai: path, bearer key, custom headers, model id and include_usage', async () => {
    upstream.handle((_, res) => replay(res, fixture('openai/chat-text-include-usage.sse')));
    const provider = openai({ headers: { 'OpenAI-Organization': 'org-1' } });
    const request = userRequest('Hi', { system: 'Be brief.', temperature: 0.2 });
    await readAll(await provider.stream(request, callContext({ model: 'gpt-4o-mini' })));
    expect(upstream.requests[0]!.url).toBe('/v1/chat/completions');
    expect(upstream.requests[0]!.method).toBe('POST');
    expect(sentHeaders()).toMatchInlineSnapshot(`
      {
        "accept-encoding": "identity",
        "authorization": "Bearer sk-test-0123456789abcdefSECRET",
        "content-type": "application/json",
        "openai-organization": "org-1",
      }
    `);
    expect(JSON.parse(upstream.requests[0]!.body)).toMatchInlineSnapshot(`
      {
        "messages": [
          {
            "content": "Be brief.",
            "role": "system",
          },
          {
            "content": "Hi",
            "role": "user",
          },
        ],
        "model": "gpt-4o-mini",
        "stream": true,
        "stream_options": {
          "include_usage": true,
        },
        "temperature": 0.2,
      }
    `);
  });

  test('anthropic: /v1/messages, x-api-key, anthropic-version, a beta header, default max_tokens', async () => {
    upstream.handle((_, res) => replay(res, fixture('anthropic/text.sse')));
    const provider = anthropic({ headers: { 'anthropic-beta': 'tools-2024-05-16' } });
    await readAll(
      await provider.stream(
        userRequest('Hi', { system: 'Be brief.' }),
        callContext({ model: 'claude-x', defaultMaxTokens: 512 }),
      ),
    );
    expect(upstream.requests[0]!.url).toBe('/v1/messages');
    expect(sentHeaders()).toMatchInlineSnapshot(`
      {
        "accept-encoding": "identity",
        "anthropic-beta": "tools-2024-05-16",
        "anthropic-version": "2023-06-01",
        "content-type": "application/json",
        "x-api-key": "sk-ant-test-9876543210SECRET",
      }
    `);
    expect(JSON.parse(upstream.requests[0]!.body)).toMatchInlineSnapshot(`
      {
        "max_tokens": 512,
        "messages": [
          {
            "content": [
              {
                "text": "Hi",
                "type": "text",
              },
            ],
            "role": "user",
          },
        ],
        "model": "claude-x",
        "stream": true,
        "system": "Be brief.",
      }
    `);
  });

  test("anthropic: an Anthropic client's anthropic-beta and anthropic-version reach the upstream", async () => {
    upstream.handle((_, res) => replay(res, fixture('anthropic/text.sse')));
    const provider = anthropic({ headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' } });
    const clientHeaders = { 'anthropic-beta': 'context-1m-2025-08-07', 'anthropic-version': '2023-01-01' };
    const fromAnthropic = userRequest('Hi', { sourceDialect: 'anthropic-messages' });
    await readAll(await provider.stream(fromAnthropic, callContext({ clientHeaders })));
    await provider.streamRaw!(fromAnthropic, callContext({ clientHeaders })).then((raw) => raw.body.cancel());
    await readAll(await provider.stream(userRequest('Hi'), callContext({ clientHeaders })));
    await readAll(await provider.stream(fromAnthropic, callContext()));
    for (const index of [0, 1]) {
      expect(sentHeaders(index)).toMatchObject({
        'anthropic-beta': 'prompt-caching-2024-07-31,context-1m-2025-08-07',
        'anthropic-version': '2023-01-01',
      });
    }
    // From an OpenAI client, or without client headers: the provider's own headers only.
    for (const index of [2, 3]) {
      expect(sentHeaders(index)).toMatchObject({
        'anthropic-beta': 'prompt-caching-2024-07-31',
        'anthropic-version': '2023-06-01',
      });
    }
  });

  test('openai-compatible: base URL with a trailing slash, no key, no authorization header', async () => {
    upstream.handle((_, res) => replay(res, fixture('openai-compatible/deepseek-reasoning-content.sse')));
    const provider = createOpenAICompatibleProvider({
      name: 'local',
      config: providerEntry({ type: 'openai-compatible', base_url: `${upstream.url}/api/v1/` }),
    });
    providers.push(provider);
    await readAll(await provider.stream(userRequest('Hello'), callContext({ model: 'deepseek-reasoner' })));
    expect(upstream.requests[0]!.url).toBe('/api/v1/chat/completions');
    expect(sentHeaders()).toEqual({ 'accept-encoding': 'identity', 'content-type': 'application/json' });
    expect(JSON.parse(upstream.requests[0]!.body)).toMatchObject({
      model: 'deepseek-reasoner',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  test('openai-compatible with include_usage: false sends no stream_options', async () => {
    upstream.handle((_, res) => replay(res, fixture('openai/chat-text-no-usage.sse')));
    const provider = createOpenAICompatibleProvider({
      name: 'old-vllm',
      config: providerEntry({ type: 'openai-compatible', base_url: upstream.url, include_usage: false }),
    });
    providers.push(provider);
    await readAll(await provider.stream(userRequest('Hello'), callContext()));
    expect(upstream.requests[0]!.url).toBe('/v1/chat/completions');
    expect(JSON.parse(upstream.requests[0]!.body)).not.toHaveProperty('stream_options');
  });

  test('onUpstreamResponse fires once, when the headers arrive', async () => {
    const onUpstreamResponse = vi.fn();
    upstream.handle((_, res) => replay(res, fixture('openai/chat-tool-call.sse')));
    const stream = await openai().stream(userRequest('Hi'), callContext({ onUpstreamResponse }));
    expect(onUpstreamResponse).toHaveBeenCalledTimes(1);
    await readAll(stream);
    expect(onUpstreamResponse).toHaveBeenCalledTimes(1);
  });

  test('sequential calls reuse one keep-alive connection', async () => {
    upstream.handle((_, res) => replay(res, fixture('openai/chat-finish-length.sse')));
    const provider = openai();
    await readAll(await provider.stream(userRequest('a'), callContext()));
    // The pool marks the connection free on its next turn; a request sent in the same tick would open another.
    await new Promise((resolve) => setImmediate(resolve));
    await readAll(await provider.stream(userRequest('b'), callContext()));
    expect(upstream.requests).toHaveLength(2);
    expect(upstream.requests[1]!.remotePort).toBe(upstream.requests[0]!.remotePort);
  });
});

describe('max tokens, by upstream type', () => {
  const fromAnthropic = userRequest('Hi', { sourceDialect: 'anthropic-messages', maxTokens: 300 });
  const sentBody = (index = 0) => JSON.parse(upstream.requests[index]!.body) as Record<string, unknown>;

  test('openai: a request from another dialect sends max_completion_tokens (reasoning models refuse max_tokens)', async () => {
    upstream.handle((_, res) => replay(res, fixture('openai/chat-text-include-usage.sse')));
    const provider = openai();
    await readAll(await provider.stream(fromAnthropic, callContext()));
    await provider.streamRaw!(fromAnthropic, callContext()).then((raw) => raw.body.cancel());
    for (const index of [0, 1]) {
      expect(sentBody(index)).toMatchObject({ max_completion_tokens: 300 });
      expect(sentBody(index)).not.toHaveProperty('max_tokens');
    }
  });

  test('openai: complete() from another dialect sends max_completion_tokens too', async () => {
    upstream.handle((_, res) => replay(res, fixture('openai/chat-text-include-usage.sse')));
    await openai().complete({ ...fromAnthropic, stream: false }, callContext());
    expect(sentBody()).toMatchObject({ max_completion_tokens: 300, stream: false });
    expect(sentBody()).not.toHaveProperty('max_tokens');
  });

  test.each(['max_tokens', 'max_completion_tokens'] as const)(
    'openai: an OpenAI client keeps its own %s',
    async (param) => {
      upstream.handle((_, res) => replay(res, fixture('openai/chat-text-include-usage.sse')));
      const request = userRequest('Hi', { maxTokens: 300, maxTokensParam: param });
      await readAll(await openai().stream(request, callContext()));
      expect(sentBody()).toEqual(expect.objectContaining({ [param]: 300 }));
      expect(Object.keys(sentBody()).filter((key) => key.startsWith('max_'))).toEqual([param]);
    },
  );

  test('openai-compatible keeps max_tokens (vLLM, Ollama and Groq expect it)', async () => {
    upstream.handle((_, res) => replay(res, fixture('openai/chat-text-include-usage.sse')));
    const provider = createOpenAICompatibleProvider({
      name: 'local',
      config: providerEntry({ type: 'openai-compatible', base_url: upstream.url }),
    });
    providers.push(provider);
    await readAll(await provider.stream(fromAnthropic, callContext()));
    expect(sentBody()).toMatchObject({ max_tokens: 300 });
    expect(sentBody()).not.toHaveProperty('max_completion_tokens');
  });
});

describe('non-streamed calls', () => {
  test('openai complete() parses a JSON body', async () => {
    upstream.handle((_, res) =>
      replay(
        res,
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          model: 'gpt-4o-mini-2024-07-18',
          choices: [{ index: 0, message: { role: 'assistant', content: 'Paris.' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 },
        }),
        { contentType: 'application/json' },
      ),
    );
    const response = await openai().complete(
      userRequest('Capital of France?', { stream: false }),
      callContext(),
    );
    expect(JSON.parse(upstream.requests[0]!.body)).toMatchObject({ stream: false });
    expect(response).toMatchObject({
      id: 'chatcmpl-1',
      content: [{ type: 'text', text: 'Paris.' }],
      finishReason: 'stop',
      usage: { inputTokens: 12, outputTokens: 2 },
    });
  });

  test('anthropic complete() parses a JSON body with a tool call', async () => {
    upstream.handle((_, res) =>
      replay(
        res,
        JSON.stringify({
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'claude-x',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } }],
          stop_reason: 'tool_use',
          stop_sequence: null,
          usage: { input_tokens: 20, output_tokens: 9 },
        }),
        { contentType: 'application/json' },
      ),
    );
    const response = await anthropic().complete(userRequest('Weather?', { stream: false }), callContext());
    expect(response.finishReason).toBe('tool-calls');
    const call = response.content[0];
    expect(call).toMatchObject({ type: 'tool-call', id: 'toolu_1', name: 'get_weather' });
    expect(JSON.parse(call?.type === 'tool-call' ? call.arguments : '')).toEqual({ city: 'Oslo' });
  });

  test('supports_streaming: false makes stream() ask for JSON and simulate the stream', async () => {
    upstream.handle((_, res) =>
      replay(
        res,
        JSON.stringify({
          id: 'chatcmpl-2',
          model: 'm',
          choices: [
            { index: 0, message: { role: 'assistant', content: 'one two three' }, finish_reason: 'stop' },
          ],
        }),
        { contentType: 'application/json' },
      ),
    );
    const provider = openai({ supports_streaming: false });
    expect(provider.streamRaw).toBeUndefined();
    const events = await readAll(await provider.stream(userRequest('count'), callContext()));
    expect(JSON.parse(upstream.requests[0]!.body).stream).toBe(false);
    expect(events.filter((e) => e.type === 'text-delta').map((e) => (e as { text: string }).text)).toEqual([
      'one',
      ' two',
      ' three',
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'stop' });
  });

  test('an upstream that answers a stream request with JSON is simulated as a stream', async () => {
    upstream.handle((_, res) =>
      replay(
        res,
        JSON.stringify({
          id: 'chatcmpl-3',
          model: 'm',
          choices: [
            { index: 0, message: { role: 'assistant', content: 'no stream here' }, finish_reason: 'stop' },
          ],
        }),
        { contentType: 'application/json' },
      ),
    );
    const events = await readAll(await openai().stream(userRequest('x'), callContext()));
    expect(textOf(events)).toBe('no stream here');
  });
});

describe('upstream errors', () => {
  test('429 with retry-after → rate_limit, retryable, retryAfter', async () => {
    upstream.handle((_, res) =>
      replay(
        res,
        JSON.stringify({
          error: {
            message: 'Rate limit reached for requests',
            type: 'requests',
            code: 'rate_limit_exceeded',
          },
        }),
        {
          status: 429,
          contentType: 'application/json',
          headers: { 'retry-after': '7' },
        },
      ),
    );
    const error = await caught(openai().stream(userRequest('x'), callContext()));
    expect(error).toMatchObject({
      type: 'rate_limit',
      status: 429,
      retryable: true,
      retryAfter: 7,
      provider: 'openai',
    });
    expect(error.message).toContain('Rate limit reached');
  });

  test('401 that echoes the key → authentication, not retryable, key redacted', async () => {
    upstream.handle((_, res) =>
      replay(
        res,
        JSON.stringify({
          error: {
            message: `Incorrect API key provided: ${OPENAI_KEY}.`,
            type: 'invalid_request_error',
            code: 'invalid_api_key',
          },
        }),
        { status: 401, contentType: 'application/json' },
      ),
    );
    const provider = openai();
    const error = await caught(provider.complete(userRequest('x'), callContext()));
    expect(error).toMatchObject({ type: 'authentication', status: 401, retryable: false });
    expect(error.message).toContain('Incorrect API key provided:');
    expectNoKeys(error);
    const health = provider.health?.();
    expect(health?.state).toBe('degraded');
    expect(JSON.stringify(health)).not.toContain(OPENAI_KEY);
  });

  test('500 → api_error, retryable; a plain-text body that echoes a key is redacted', async () => {
    upstream.handle((_, res) =>
      replay(res, `upstream exploded near x-api-key ${ANTHROPIC_KEY}`, {
        status: 500,
        contentType: 'text/plain',
      }),
    );
    const error = await caught(anthropic().stream(userRequest('x'), callContext()));
    expect(error).toMatchObject({ type: 'api_error', status: 500, retryable: true });
    expect(error.message).toContain('upstream exploded');
    expectNoKeys(error);
  });

  test('anthropic 529 overloaded_error → overloaded, retryable', async () => {
    upstream.handle((_, res) =>
      replay(
        res,
        JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
        {
          status: 529,
          contentType: 'application/json',
        },
      ),
    );
    const error = await caught(anthropic().stream(userRequest('x'), callContext()));
    expect(error).toMatchObject({ type: 'overloaded', status: 529, retryable: true, message: 'Overloaded' });
    expectNoKeys(error);
  });

  test('a missing api_key fails every call before the network, naming the setting', async () => {
    const provider = createOpenAIProvider({
      name: 'openai',
      config: providerEntry({ type: 'openai', base_url: upstream.url }),
    });
    providers.push(provider);
    const error = await caught(provider.stream(userRequest('x'), callContext()));
    expect(error).toMatchObject({ type: 'authentication', code: 'missing_api_key' });
    expect(error.message).toContain('providers.openai.api_key');
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('transport failures', () => {
  test('connection refused → network', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const provider = openai({ base_url: `http://127.0.0.1:${closedPort}/v1` });
    const error = await caught(provider.stream(userRequest('x'), callContext()));
    expect(error).toMatchObject({
      type: 'network',
      code: 'connection_refused',
      retryable: true,
      status: 502,
    });
    expect(error.message).toBe(
      `could not connect to upstream openai at http://127.0.0.1:${closedPort}: connection refused`,
    );
    expectNoKeys(error);
  });

  test('no first byte within timeout_ms → timeout', async () => {
    upstream.handle(() => {
      // Never answers; the client gives up.
    });
    const error = await caught(openai({ timeout_ms: 200 }).stream(userRequest('x'), callContext()));
    expect(error).toMatchObject({ type: 'timeout', code: 'first_byte_timeout', retryable: true });
    expect(error.message).toBe('upstream openai did not send a first byte within 200 ms (timeout_ms)');
    expect(await upstream.requests[0]!.closed).toEqual({ finished: false });
  });

  test('silence longer than idle_timeout_ms mid-stream → an error event of type timeout', async () => {
    const wire = fixture('openai/chat-text-no-usage.sse');
    upstream.handle((_, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(wire.slice(0, wire.indexOf('\n\n') + 2));
    });
    const events = await readAll(
      await openai({ idle_timeout_ms: 200 }).stream(userRequest('x'), callContext()),
    );
    expect(events[0]).toMatchObject({ type: 'message-start' });
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { type: 'timeout', code: 'idle_timeout' } });
    expect((events.at(-1) as { error: ProviderError }).error.message).toBe(
      'upstream openai sent nothing for 200 ms in the middle of the response (idle_timeout_ms)',
    );
  });

  test('the upstream hanging up mid-stream → an error event of type network', async () => {
    const wire = fixture('anthropic/text.sse');
    upstream.handle((_, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(wire.slice(0, wire.length / 2), () => res.destroy());
    });
    const events = await readAll(await anthropic().stream(userRequest('x'), callContext()));
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { type: 'network', retryable: true } });
    expectNoKeys((events.at(-1) as { error: ProviderError }).error);
  });
});

describe('cancellation', () => {
  function holdAfterFirstEvent() {
    const wire = fixture('openai/chat-text-no-usage.sse');
    upstream.handle((_, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(wire.slice(0, wire.indexOf('\n\n') + 2));
    });
  }

  test('aborting the signal mid-stream closes the upstream socket', async () => {
    holdAfterFirstEvent();
    const controller = new AbortController();
    const stream = await openai().stream(userRequest('x'), callContext({ signal: controller.signal }));
    const reader = stream.getReader();
    expect((await reader.read()).value).toMatchObject({ type: 'message-start' });
    controller.abort();
    expect(await upstream.requests[0]!.closed).toEqual({ finished: false });
    const rest: StreamEvent[] = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest.push(value);
    }
    expect(rest.at(-1)).toMatchObject({ type: 'error', error: { code: 'aborted', retryable: false } });
  });

  test('cancelling the event stream closes the upstream socket', async () => {
    holdAfterFirstEvent();
    const stream = await openai().stream(userRequest('x'), callContext());
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    expect(await upstream.requests[0]!.closed).toEqual({ finished: false });
  });

  test('cancelling a raw stream closes the upstream socket', async () => {
    holdAfterFirstEvent();
    const raw = await openai().streamRaw!(userRequest('x'), callContext());
    const reader = raw.body.getReader();
    await reader.read();
    await reader.cancel();
    expect(await upstream.requests[0]!.closed).toEqual({ finished: false });
  });

  test('an already aborted signal never reaches the network', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await caught(openai().stream(userRequest('x'), callContext({ signal: controller.signal })));
    expect(error.code).toBe('aborted');
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('health', () => {
  test('unknown before any call, ok after a success, degraded after a failure', async () => {
    const provider = openai();
    expect(provider.health?.()).toEqual({ state: 'unknown' });
    upstream.handle((_, res) => replay(res, fixture('openai/chat-finish-length.sse')));
    await readAll(await provider.stream(userRequest('x'), callContext()));
    expect(provider.health?.()).toEqual({ state: 'ok' });
    upstream.handle((_, res) => replay(res, '{}', { status: 503, contentType: 'application/json' }));
    await caught(provider.stream(userRequest('x'), callContext()));
    expect(provider.health?.()).toMatchObject({ state: 'degraded', lastError: expect.any(String) });
  });
});
