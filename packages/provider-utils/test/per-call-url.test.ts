/**
 * createHttpProvider with a URL, headers and body per call: a Gemini-like provider, whose model and
 * stream flag are in the URL (`/v1beta/models/{model}:streamGenerateContent?alt=sse` vs `:generateContent`),
 * written with the kit alone against a fake upstream that records each request.
 */
import type { Dialect, SseMessage, StreamEvent, StreamStage, Usage } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createHttpProvider } from '../src/http-provider/create-http-provider.ts';
import { joinPath, parseBaseUrl, requestPath } from '../src/http-provider/resolve-endpoint.ts';
import {
  callContext,
  type FakeUpstream,
  providerEntry,
  readAll,
  replay,
  startFakeUpstream,
  userRequest,
} from '../src/test/index.ts';

interface GeminiChunk {
  candidates?: Array<{ content?: { parts?: Array<{ text?: string }> }; finishReason?: string }>;
  usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number };
}

const usageOf = (chunk: GeminiChunk): Usage | undefined =>
  chunk.usageMetadata && {
    inputTokens: chunk.usageMetadata.promptTokenCount,
    outputTokens: chunk.usageMetadata.candidatesTokenCount,
  };
const reasonOf = (reason: string) => (reason === 'MAX_TOKENS' ? 'length' : 'stop') as 'length' | 'stop';

function geminiDecoder(): StreamStage<SseMessage, StreamEvent> {
  let started = false;
  let finished = false;
  let usage: Usage = {};
  return {
    push(message, emit) {
      const chunk = JSON.parse(message.data) as GeminiChunk;
      if (!started) {
        started = true;
        emit({ type: 'message-start', id: 'gemini-1', model: 'gemini' });
        emit({ type: 'block-start', index: 0, block: { type: 'text' } });
      }
      const candidate = chunk.candidates?.[0];
      for (const part of candidate?.content?.parts ?? []) {
        if (part.text) emit({ type: 'text-delta', index: 0, text: part.text });
      }
      usage = { ...usage, ...usageOf(chunk) };
      if (candidate?.finishReason) {
        finished = true;
        emit({ type: 'block-stop', index: 0 });
        emit({ type: 'finish', reason: reasonOf(candidate.finishReason), usage });
      }
    },
    end(emit) {
      if (!finished) {
        emit({ type: 'error', error: new ProviderError({ type: 'network', message: 'stream cut short' }) });
      }
    },
  };
}

const notUsed = () => {
  throw new Error('not used by a provider');
};

/** Just the upstream half of a dialect: build a body, decode a stream, parse a body or an error. */
const geminiLike: Dialect = {
  name: 'gemini-like',
  parseRequest: notUsed,
  buildRequest(request) {
    return {
      contents: request.messages.map((m) => ({
        role: m.role === 'assistant' ? 'model' : 'user',
        parts: m.content.flatMap((part) => (part.type === 'text' ? [{ text: part.text }] : [])),
      })),
    };
  },
  decodeStream: notUsed,
  createStreamDecoder: geminiDecoder,
  parseResponse(body) {
    const chunk = body as GeminiChunk;
    const candidate = chunk.candidates?.[0];
    const text = (candidate?.content?.parts ?? []).map((p) => p.text ?? '').join('');
    return {
      id: 'gemini-1',
      model: 'gemini',
      content: [{ type: 'text', text }],
      finishReason: reasonOf(candidate?.finishReason ?? 'STOP'),
      usage: usageOf(chunk) ?? {},
    };
  },
  encodeStream: notUsed,
  createStreamEncoder: notUsed,
  encodeResponse: notUsed,
  encodeError: notUsed,
  encodeErrorEvent: notUsed,
  parseError(status, body, provider) {
    const message = (body as { error?: { message?: string } })?.error?.message ?? String(body);
    return new ProviderError({
      type: status === 429 ? 'rate_limit' : 'api_error',
      status,
      provider,
      message,
    });
  },
};

function createGeminiLike(baseUrl: string, apiKey = 'g-secret-key-123') {
  const base = parseBaseUrl(baseUrl, 'gem');
  return createHttpProvider({
    name: 'gem',
    type: 'gemini-like',
    dialect: geminiLike,
    baseUrl,
    url: ({ model, stream }) =>
      joinPath(
        base.path,
        `/models/${encodeURIComponent(model)}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
      ),
    config: providerEntry({ type: 'custom', api_key: apiKey }),
    headers: { 'x-goog-api-key': apiKey },
    secrets: [apiKey],
    callHeaders: ({ stream, model }) => ({ 'x-call': `${model}/${stream ? 'stream' : 'whole'}` }),
    body: (body, { request }) => ({
      ...body,
      generationConfig: { maxOutputTokens: request.maxTokens ?? 256 },
    }),
  });
}

const streamBody = [
  { candidates: [{ content: { parts: [{ text: 'Hello' }] } }] },
  { candidates: [{ content: { parts: [{ text: ', world' }] } }] },
  {
    candidates: [{ content: { parts: [{ text: '!' }] }, finishReason: 'STOP' }],
    usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 3 },
  },
]
  .map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`)
  .join('');

let upstream: FakeUpstream;
beforeEach(async () => {
  upstream = await startFakeUpstream((request, res) => {
    if (request.url.includes(':streamGenerateContent')) {
      return replay(res, streamBody, { chunking: { seed: 7, maxChunk: 9 } });
    }
    if (request.url.includes(':generateContent')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          candidates: [{ content: { parts: [{ text: 'Hello, world!' }] }, finishReason: 'MAX_TOKENS' }],
          usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 3 },
        }),
      );
      return;
    }
    res.writeHead(404).end();
  });
});
afterEach(() => upstream.close());

describe('createHttpProvider with a URL per call (Gemini-like)', () => {
  test('a streamed and a whole call go to their own URL, with per-call headers and body', async () => {
    const provider = createGeminiLike(`${upstream.url}/v1beta/`);
    try {
      const events = await readAll(
        await provider.stream(
          userRequest('hi', { maxTokens: 50 }),
          callContext({ model: 'gemini-2.5-flash' }),
        ),
      );
      const text = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');
      expect(text).toBe('Hello, world!');
      expect(events.at(-1)).toEqual({
        type: 'finish',
        reason: 'stop',
        usage: { inputTokens: 4, outputTokens: 3 },
      });

      const response = await provider.complete(
        userRequest('hi', { stream: false }),
        callContext({ model: 'gemini-pro' }),
      );
      expect(response).toMatchObject({
        content: [{ type: 'text', text: 'Hello, world!' }],
        finishReason: 'length',
        usage: { inputTokens: 4, outputTokens: 3 },
      });

      const [streamed, whole] = upstream.requests;
      expect(streamed?.url).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
      expect(whole?.url).toBe('/v1beta/models/gemini-pro:generateContent');
      expect(streamed?.headers['x-call']).toBe('gemini-2.5-flash/stream');
      expect(whole?.headers['x-call']).toBe('gemini-pro/whole');
      expect(streamed?.headers['x-goog-api-key']).toBe('g-secret-key-123');
      expect(JSON.parse(streamed?.body ?? '')).toEqual({
        contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
        generationConfig: { maxOutputTokens: 50 },
      });
      expect(JSON.parse(whole?.body ?? '').generationConfig).toEqual({ maxOutputTokens: 256 });
    } finally {
      await provider.close?.();
    }
  });

  test('an upstream error is parsed by the dialect and the key is redacted', async () => {
    upstream.handle((_request, res) => {
      res.writeHead(429, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'quota exceeded for key g-secret-key-123' } }));
    });
    const provider = createGeminiLike(upstream.url);
    try {
      const failure = await provider.complete(userRequest('hi'), callContext()).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ProviderError);
      expect(failure).toMatchObject({ type: 'rate_limit', status: 429, provider: 'gem' });
      expect((failure as ProviderError).message).toBe('quota exceeded for key [redacted]');
      expect(upstream.requests[0]?.url).toBe('/models/upstream-model:generateContent');
    } finally {
      await provider.close?.();
    }
  });

  test('without url() every call goes to the base URL; a URL on another origin is refused per call', async () => {
    const plain = createHttpProvider({
      name: 'plain',
      type: 'custom',
      dialect: geminiLike,
      baseUrl: `${upstream.url}/v1beta/models/m:generateContent?x=1`,
      config: providerEntry({ type: 'custom' }),
      headers: {},
      secrets: [],
    });
    const elsewhere = createHttpProvider({
      name: 'elsewhere',
      type: 'custom',
      dialect: geminiLike,
      baseUrl: upstream.url,
      url: () => 'https://example.com/v1/x',
      config: providerEntry({ type: 'custom' }),
      headers: {},
      secrets: [],
    });
    try {
      await plain.complete(userRequest('hi'), callContext());
      expect(upstream.requests[0]?.url).toBe('/v1beta/models/m:generateContent?x=1');
      await expect(elsewhere.complete(userRequest('hi'), callContext())).rejects.toMatchObject({
        type: 'api_error',
        message: expect.stringContaining('on https://example.com, but its base URL'),
      });
      expect(upstream.requests).toHaveLength(1);
    } finally {
      await Promise.all([plain.close?.(), elsewhere.close?.()]);
    }
  });
});

describe('parseBaseUrl / requestPath / joinPath', () => {
  test('the base URL is split into origin, path without trailing slash, and query', () => {
    expect(parseBaseUrl('https://x.example.com/openai/v1/?api-version=1', 'p')).toEqual({
      origin: 'https://x.example.com',
      path: '/openai/v1',
      search: '?api-version=1',
    });
    expect(parseBaseUrl('http://localhost:8080', 'p')).toEqual({
      origin: 'http://localhost:8080',
      path: '',
      search: '',
    });
  });

  test('a relative or non-http base URL is refused with the setting named', () => {
    expect(() => parseBaseUrl('localhost:8080', 'local')).toThrow(
      'providers.local.base_url must use http or https (got localhost:)',
    );
    expect(() => parseBaseUrl('/v1', 'local')).toThrow(
      'providers.local.base_url must be an absolute http(s) URL (got "/v1")',
    );
  });

  test('a path or a same-origin URL becomes the request path', () => {
    expect(requestPath('/v1/x?a=1', 'https://h', 'p')).toBe('/v1/x?a=1');
    expect(requestPath('https://h/v1/x?a=1', 'https://h', 'p')).toBe('/v1/x?a=1');
    expect(() => requestPath('//evil/x', 'https://h', 'p')).toThrow();
    expect(() => requestPath('https://other/x', 'https://h', 'p')).toThrow('on https://other');
    expect(joinPath('/v1beta/', '/models')).toBe('/v1beta/models');
    expect(joinPath('', 'models')).toBe('/models');
  });
});
