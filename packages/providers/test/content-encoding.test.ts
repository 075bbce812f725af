/**
 * Compressed upstream bodies, over real HTTP on loopback: TokenPak asks for `accept-encoding: identity`, and an
 * upstream that compresses anyway (or was asked to by a provider's `headers`) is decoded before the SSE or
 * JSON reader sees it. Encodings zlib cannot decode fail with a clear ProviderError.
 */
import { readFileSync } from 'node:fs';
import { brotliCompressSync, createGzip, deflateSync, gzipSync } from 'node:zlib';
import { createOpenAIProvider } from '@tokenpak/openai';
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
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fixtureUrl } from './helpers/fixtures.ts';

const SSE = readFileSync(fixtureUrl('openai/chat-text-include-usage.sse'), 'utf8');
const COMPRESS: Record<string, (bytes: Buffer) => Buffer> = {
  gzip: (bytes) => gzipSync(bytes),
  deflate: (bytes) => deflateSync(bytes),
  br: (bytes) => brotliCompressSync(bytes),
};

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
    config: providerEntry({ type: 'openai', api_key: 'sk-test', base_url: `${upstream.url}/v1`, ...extra }),
  });
  providers.push(provider);
  return provider;
}

/** The fixture as the upstream sends it: compressed with `encoding`, optionally in small chunks. */
function serve(encoding: string | undefined, chunked = false): void {
  const bytes = Buffer.from(SSE);
  upstream.handle((_, res) =>
    replay(res, encoding ? COMPRESS[encoding]!(bytes) : bytes, {
      ...(encoding && { headers: { 'content-encoding': encoding } }),
      ...(chunked && { chunking: { seed: 7, maxChunk: 13 } }),
    }),
  );
}

async function caught(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected a rejection');
}

const textOf = (events: StreamEvent[]) => events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('');

/** What the plain (uncompressed) fixture decodes to: the reference for every compressed run. */
async function plainEvents(): Promise<StreamEvent[]> {
  serve(undefined);
  return readAll(await openai().stream(userRequest('Hi'), callContext()));
}

describe('what is asked for', () => {
  test('accept-encoding: identity is sent by default', async () => {
    serve(undefined);
    await readAll(await openai().stream(userRequest('Hi'), callContext()));
    expect(upstream.requests[0]!.headers['accept-encoding']).toBe('identity');
  });

  test("a provider's own accept-encoding header is sent as configured (any letter case)", async () => {
    serve('gzip');
    await readAll(
      await openai({ headers: { 'Accept-Encoding': 'gzip' } }).stream(userRequest('Hi'), callContext()),
    );
    expect(upstream.requests[0]!.headers['accept-encoding']).toBe('gzip');
  });
});

describe('compressed bodies are decoded', () => {
  test.each(['gzip', 'deflate', 'br'])(
    'stream(): a %s-encoded SSE body gives the same events as the plain one',
    async (encoding) => {
      const reference = await plainEvents();
      expect(textOf(reference).length).toBeGreaterThan(0);
      serve(encoding, true);
      const events = await readAll(await openai().stream(userRequest('Hi'), callContext()));
      expect(events).toEqual(reference);
    },
  );

  test('complete(): a gzip-encoded SSE body is collected into the same text and usage', async () => {
    const reference = await plainEvents();
    serve('gzip', true);
    const response = await openai().complete(userRequest('Hi', { stream: false }), callContext());
    const text = response.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    expect(text).toBe(textOf(reference));
    const finish = reference.find((e) => e.type === 'finish');
    expect(finish).toBeDefined();
    expect(response.usage).toEqual((finish as { usage?: unknown }).usage);
  });

  test('complete(): a gzip-encoded JSON body is parsed', async () => {
    const json = JSON.stringify({
      id: 'chatcmpl-gz',
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Compressed hello.' }, finish_reason: 'stop' },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
    });
    upstream.handle((_, res) =>
      replay(res, gzipSync(Buffer.from(json)), {
        contentType: 'application/json',
        headers: { 'content-encoding': 'gzip' },
      }),
    );
    const response = await openai().complete(userRequest('Hi', { stream: false }), callContext());
    expect(response).toMatchObject({
      id: 'chatcmpl-gz',
      content: [{ type: 'text', text: 'Compressed hello.' }],
    });
  });

  test('a gzip-encoded error body still gives the upstream error message', async () => {
    const json = JSON.stringify({
      error: { message: 'Incorrect API key provided', type: 'invalid_request_error' },
    });
    upstream.handle((_, res) =>
      replay(res, gzipSync(Buffer.from(json)), {
        status: 401,
        contentType: 'application/json',
        headers: { 'content-encoding': 'gzip' },
      }),
    );
    const error = await caught(openai().stream(userRequest('Hi'), callContext()));
    expect(error.status).toBe(401);
    expect(error.message).toContain('Incorrect API key provided');
  });

  test('cancelling a decoded stream closes the upstream connection', async () => {
    upstream.handle((_, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
      // The first events, flushed through gzip, then nothing: the client has to hang up.
      const gzip = createGzip();
      gzip.pipe(res);
      gzip.write(SSE.slice(0, SSE.indexOf('\n\n', SSE.indexOf('"content":"') + 20) + 2));
      gzip.flush();
    });
    const stream = await openai().stream(userRequest('Hi'), callContext());
    const reader = stream.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    await reader.cancel();
    expect(await upstream.requests[0]!.closed).toEqual({ finished: false });
  });
});

describe('bodies that cannot be decoded', () => {
  test('an encoding zlib does not know fails with a bad_upstream error that says what to do', async () => {
    upstream.handle((_, res) => replay(res, SSE, { headers: { 'content-encoding': 'zstd' } }));
    const error = await caught(openai().stream(userRequest('Hi'), callContext()));
    expect(error).toMatchObject({ type: 'bad_upstream', status: 502 });
    expect(error.message).toContain('zstd-encoded body, which TokenPak does not decode');
    expect(error.message).toContain('providers.openai.headers');
  });

  test('a body that is not really gzip ends the stream with a bad_upstream error event naming the encoding', async () => {
    upstream.handle((_, res) => replay(res, SSE, { headers: { 'content-encoding': 'gzip' } }));
    const events = await readAll(await openai().stream(userRequest('Hi'), callContext()));
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    const { error } = last as { error: ProviderError };
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ type: 'bad_upstream' });
    expect(error.message).toContain('does not decode as gzip');
    expect(textOf(events)).toBe('');
  });
});
