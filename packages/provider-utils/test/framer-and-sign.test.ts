/**
 * createHttpProvider's hooks for upstreams that are not JSON + SSE/NDJSON with a static key: `framer` (a
 * binary framing of the provider's own, here 4-byte big-endian length prefixes around JSON), `sign` (headers
 * computed over the exact bytes sent, here an HMAC checked by the fake upstream) and the error answer's
 * headers handed to `explainError`. Each over real HTTP, replayed whole and at every byte.
 */
import { createHmac } from 'node:crypto';
import type { StreamEvent, StreamStage, UpstreamDialect } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHttpProvider, type HttpProviderSpec } from '../src/http-provider/create-http-provider.ts';
import type { Framer } from '../src/stream/decode-framed-stream.ts';
import {
  callContext,
  collectEvents,
  type FakeUpstream,
  providerEntry,
  replay,
  replayModes,
  startFakeUpstream,
  userRequest,
} from '../src/test/index.ts';

type Frame = { kind: 'text'; text: string } | { kind: 'end' };

/** Frames as the fake upstream writes them: a 4-byte length, then that many bytes of JSON. */
function encodeFrames(frames: Frame[]): Uint8Array {
  const parts = frames.map((frame) => {
    const json = new TextEncoder().encode(JSON.stringify(frame));
    const out = new Uint8Array(4 + json.length);
    new DataView(out.buffer).setUint32(0, json.length, false);
    out.set(json, 4);
    return out;
  });
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

class CutFrameError extends Error {}

/** The framer under test: holds bytes until a whole frame is there, however the network cut them. */
function lengthPrefixFramer(): Framer<Frame> {
  let held = new Uint8Array(0);
  return {
    feed(chunk, push) {
      const bytes = new Uint8Array(held.length + chunk.length);
      bytes.set(held);
      bytes.set(chunk, held.length);
      let offset = 0;
      while (bytes.length - offset >= 4) {
        const length = new DataView(bytes.buffer, offset, 4).getUint32(0, false);
        if (bytes.length - offset - 4 < length) break;
        const json = new TextDecoder().decode(bytes.subarray(offset + 4, offset + 4 + length));
        push(JSON.parse(json) as Frame);
        offset += 4 + length;
      }
      held = bytes.slice(offset);
    },
    end() {
      if (held.length > 0) throw new CutFrameError(`${held.length} bytes of a frame`);
    },
    errorFor(cause, provider) {
      if (!(cause instanceof CutFrameError)) return undefined;
      return new ProviderError({ type: 'network', provider, message: `cut frame: ${cause.message}` });
    },
  };
}

function frameDecoder(): StreamStage<Frame, StreamEvent> {
  let started = false;
  return {
    push(frame, emit) {
      if (!started) {
        started = true;
        emit({ type: 'message-start', id: 'm1', model: 'framed' });
        emit({ type: 'block-start', index: 0, block: { type: 'text' } });
      }
      if (frame.kind === 'text') emit({ type: 'text-delta', index: 0, text: frame.text });
      else {
        emit({ type: 'block-stop', index: 0 });
        emit({ type: 'finish', reason: 'stop', usage: {} });
      }
    },
    end() {},
  };
}

const framedDialect: UpstreamDialect<Frame> = {
  name: 'framed',
  buildRequest: (request) => ({ prompt: request.messages.length, note: 'héllo' }),
  createStreamDecoder: frameDecoder,
  parseResponse: (body) => ({
    id: 'm1',
    model: 'framed',
    content: [{ type: 'text', text: (body as { text: string }).text }],
    finishReason: 'stop',
    usage: {},
  }),
  parseError: (status, body, provider) =>
    new ProviderError({ type: 'api_error', status, provider, message: String((body as any)?.message) }),
};

const SECRET = 'hmac-secret-key';
const hmac = (text: string) => createHmac('sha256', SECRET).update(text).digest('hex');
const FRAMES: Frame[] = [{ kind: 'text', text: 'Hel' }, { kind: 'text', text: 'lo, wörld' }, { kind: 'end' }];

function provider(upstream: FakeUpstream, extra: Partial<HttpProviderSpec> = {}) {
  return createHttpProvider({
    name: 'framed',
    type: 'custom',
    dialect: framedDialect,
    baseUrl: upstream.url,
    url: ({ model }) => `/model/${encodeURIComponent(model)}/stream`,
    config: providerEntry({ type: 'custom', headers: { 'x-config': 'c' } }),
    headers: { 'x-static': 's' },
    secrets: [SECRET],
    framer: lengthPrefixFramer,
    callHeaders: () => ({ 'x-call': 'k' }),
    sign: async (request) => ({
      ...request.headers,
      'x-signed-url': request.url.href,
      'x-signature': hmac(`${request.method} ${request.url.pathname}\n${request.body}`),
    }),
    ...extra,
  });
}

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());

describe('framer: a binary framing of the provider', () => {
  test.each(replayModes({ seeds: [1, 2], maxChunk: 5, flipLineEndings: false }))(
    'frames cut anywhere ($name) decode to the same events',
    async (mode) => {
      upstream.handle((_req, res) =>
        replay(res, encodeFrames(FRAMES), { mode, contentType: 'application/x-frames' }),
      );
      const p = provider(upstream);
      try {
        const { summary } = await collectEvents(
          await p.stream(userRequest('hi'), callContext({ model: 'm' })),
        );
        expect(summary.text).toBe('Hello, wörld');
        expect(summary.finishReason).toBe('stop');
      } finally {
        await p.close?.();
      }
    },
  );

  test('bytes that end inside a frame: the error the framer names', async () => {
    const bytes = encodeFrames(FRAMES);
    upstream.handle((_req, res) =>
      replay(res, bytes.subarray(0, bytes.length - 3), { contentType: 'application/x-frames' }),
    );
    const p = provider(upstream);
    try {
      const { events, summary } = await collectEvents(await p.stream(userRequest('hi'), callContext()));
      expect(summary.text).toBe('Hello, wörld');
      expect(events.at(-1)).toMatchObject({
        type: 'error',
        error: { type: 'network', message: expect.stringContaining('cut frame'), provider: 'framed' },
      });
    } finally {
      await p.close?.();
    }
  });

  test('a JSON answer is one body (complete, and a stream the upstream did not stream)', async () => {
    upstream.handle((_req, res) => replay(res, '{"text":"whole"}', { contentType: 'application/json' }));
    const p = provider(upstream);
    try {
      expect((await p.complete(userRequest('hi'), callContext())).content).toEqual([
        { type: 'text', text: 'whole' },
      ]);
      const { summary } = await collectEvents(await p.stream(userRequest('hi'), callContext()));
      expect(summary.text).toBe('whole');
    } finally {
      await p.close?.();
    }
  });
});

describe('sign: headers over the exact bytes sent', () => {
  test('the upstream gets the signed headers, and they cover the body it received', async () => {
    upstream.handle((req, res) => {
      const expected = hmac(`${req.method} ${req.url}\n${req.body}`);
      if (req.headers['x-signature'] !== expected) return replay(res, '{"message":"bad"}', { status: 403 });
      return replay(res, encodeFrames(FRAMES), { contentType: 'application/x-frames' });
    });
    const p = provider(upstream);
    try {
      const before = upstream.requests.length;
      const { summary } = await collectEvents(
        await p.stream(userRequest('hi'), callContext({ model: 'm 1' })),
      );
      expect(summary.text).toBe('Hello, wörld');
      const request = upstream.requests[before];
      expect(request?.headers).toMatchObject({
        'x-static': 's',
        'x-config': 'c',
        'x-call': 'k',
        'content-type': 'application/json',
        'x-signed-url': `${upstream.url}/model/m%201/stream`,
      });
      expect(request?.body).toBe('{"prompt":1,"note":"héllo"}');
    } finally {
      await p.close?.();
    }
  });

  test('a signer that throws fails the call before the network: authentication, secrets redacted', async () => {
    const p = provider(upstream, {
      sign: async () => {
        throw new Error(`no credentials (tried ${SECRET})`);
      },
    });
    const refused = provider(upstream, {
      sign: () => {
        throw new ProviderError({ type: 'permission', message: 'not allowed' });
      },
    });
    try {
      const before = upstream.requests.length;
      const failure = await p.stream(userRequest('hi'), callContext()).catch((e: unknown) => e);
      expect(failure).toMatchObject({ type: 'authentication', status: 401, provider: 'framed' });
      expect((failure as Error).message).toBe(
        'provider framed could not sign its upstream request: no credentials (tried [redacted])',
      );
      await expect(refused.complete(userRequest('hi'), callContext())).rejects.toMatchObject({
        type: 'permission',
        provider: 'framed',
      });
      expect(upstream.requests.length).toBe(before);
      expect(p.health?.().state).toBe('degraded');
    } finally {
      await Promise.all([p.close?.(), refused.close?.()]);
    }
  });
});

test("explainError sees the error answer's status and headers", async () => {
  upstream.handle((_req, res) =>
    replay(res, '{"message":"slow down"}', {
      status: 400,
      contentType: 'application/json',
      headers: { 'x-error-kind': 'Throttling' },
    }),
  );
  const p = provider(upstream, {
    explainError: (error, _call, answer) =>
      answer.headers['x-error-kind'] === 'Throttling'
        ? error.with({ type: 'rate_limit', code: `${answer.status}:Throttling` })
        : error,
  });
  try {
    await expect(p.complete(userRequest('hi'), callContext())).rejects.toMatchObject({
      type: 'rate_limit',
      code: '400:Throttling',
      message: 'slow down',
    });
  } finally {
    await p.close?.();
  }
});
