import { readFileSync } from 'node:fs';
import { anthropicMessages } from '@tokenpak/anthropic';
import { openaiChat } from '@tokenpak/openai';
import type { StreamEvent } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { decodeSseStream, parseSse } from '@tokenpak/provider-utils';
import { readAll } from '@tokenpak/provider-utils/test';
import { describe, expect, test } from 'vitest';
import { fixtureUrl } from './helpers/fixtures.ts';

const encoder = new TextEncoder();

/** A body that sends `chunks`, then ends, fails with `error`, or (with `hang`) never ends. */
function bodyOf(
  chunks: Array<string | Uint8Array>,
  end: { error?: unknown; hang?: boolean } = {},
): { body: ReadableStream<Uint8Array>; cancelled: unknown[] } {
  const cancelled: unknown[] = [];
  let next = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks[next++];
        if (chunk !== undefined)
          controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
        else if (end.error !== undefined) controller.error(end.error);
        else if (end.hang) return new Promise<void>(() => {});
        else controller.close();
      },
      cancel(reason) {
        cancelled.push(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return { body, cancelled };
}

function fixture(path: string): string {
  return readFileSync(fixtureUrl(path), 'utf8');
}

/** The reference: the TransformStream chain (TextDecoderStream → EventSourceParserStream → decodeStream). */
async function reference(wire: string, dialect: typeof openaiChat): Promise<StreamEvent[]> {
  return readAll(parseSse(bodyOf([wire]).body).pipeThrough(dialect.decodeStream()));
}

describe('decodeSseStream', () => {
  test.each([
    ['anthropic/text.sse', anthropicMessages],
    ['anthropic/tool-use-parallel.sse', anthropicMessages],
    ['anthropic/thinking.sse', anthropicMessages],
    ['openai/chat-text-include-usage.sse', openaiChat],
    ['openai/chat-tool-calls-parallel.sse', openaiChat],
    ['openai/chat-refusal.sse', openaiChat],
  ])('%s decodes as the stream chain does: whole, byte by byte and with CRLF', async (path, dialect) => {
    const wire = fixture(path);
    const expected = await reference(wire, dialect);
    expect(expected.at(-1)?.type).toBe('finish');
    const decode = (chunks: Array<string | Uint8Array>) =>
      readAll(decodeSseStream(bodyOf(chunks).body, dialect.createStreamDecoder(), { provider: 'p' }));
    expect(await decode([wire])).toEqual(expected);
    expect(await decode([...encoder.encode(wire)].map((byte) => Uint8Array.of(byte)))).toEqual(expected);
    expect(await decode([wire.replaceAll('\n', '\r\n')])).toEqual(expected);
  });

  test('a UTF-8 byte order mark and a character split across chunks are handled', async () => {
    const bytes = encoder.encode(
      '\uFEFFevent: message_start\ndata: {"type":"message_start","message":{"id":"m","model":"x"}}\n\n' +
        'data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n' +
        'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"é👋"}}\n\n',
    );
    const split = bytes.indexOf(0xf0) + 2; // inside the emoji
    const events = await readAll(
      decodeSseStream(
        bodyOf([bytes.subarray(0, split), bytes.subarray(split)]).body,
        anthropicMessages.createStreamDecoder(),
        { provider: 'p' },
      ),
    );
    expect(events.find((e) => e.type === 'text-delta')).toEqual({
      type: 'text-delta',
      index: 0,
      text: 'é👋',
    });
    expect(events[0]).toMatchObject({ type: 'message-start', id: 'm' });
  });

  test('every event of one network chunk is readable before the body sends anything more', async () => {
    const wire = fixture('anthropic/text.sse');
    const { body } = bodyOf([wire], { hang: true });
    const reader = decodeSseStream(body, anthropicMessages.createStreamDecoder(), {
      provider: 'p',
    }).getReader();
    const expected = (await reference(wire, anthropicMessages)).length;
    for (let k = 0; k < expected; k++) {
      const { done, value } = await reader.read();
      expect(done).toBe(false);
      expect(value).toBeDefined();
    }
    reader.cancel();
  });

  test('a read failure becomes a final error event, redacted, and onEnd hears it once', async () => {
    const failure = new ProviderError({ type: 'timeout', message: 'idle with sk-secret', provider: 'p' });
    const ends: Array<ProviderError | undefined> = [];
    const events = await readAll(
      decodeSseStream(
        bodyOf(['event: message_start\ndata: {"type":"message_start","message":{"id":"m"}}\n\n'], {
          error: failure,
        }).body,
        anthropicMessages.createStreamDecoder(),
        {
          provider: 'p',
          onEnd: (error) => ends.push(error),
          fixError: (error) =>
            new ProviderError({
              type: error.type,
              message: error.message.replace('sk-secret', '[redacted]'),
            }),
        },
      ),
    );
    expect(events.map((e) => e.type)).toEqual(['message-start', 'error']);
    const last = events.at(-1) as { type: 'error'; error: ProviderError };
    expect(last.error).toMatchObject({ type: 'timeout', message: 'idle with [redacted]' });
    expect(ends).toEqual([last.error]);
  });

  test("input that ends without a finish gets the decoder's error, and onEnd hears it", async () => {
    const ends: Array<ProviderError | undefined> = [];
    const events = await readAll(
      decodeSseStream(
        bodyOf(['data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n']).body,
        openaiChat.createStreamDecoder(),
        { provider: 'p', onEnd: (error) => ends.push(error) },
      ),
    );
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { type: 'network' } });
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ type: 'network' });
  });

  test('a decoder stage that emits nothing at the end still gets an error event', async () => {
    const events = await readAll(
      decodeSseStream(bodyOf(['data: x\n\n']).body, { push() {}, end() {} }, { provider: 'p' }),
    );
    expect(events).toEqual([
      { type: 'error', error: expect.objectContaining({ type: 'bad_upstream', provider: 'p' }) },
    ]);
  });

  test('finish ends with no error; the body is still read to its end', async () => {
    const ends: Array<ProviderError | undefined> = [];
    const { body, cancelled } = bodyOf([
      'data: {"type":"message_start","message":{"id":"m"}}\n\ndata: {"type":"message_stop"}\n\n',
      'data: {"type":"ping"}\n\n',
    ]);
    const events = await readAll(
      decodeSseStream(body, anthropicMessages.createStreamDecoder(), {
        provider: 'p',
        onEnd: (error) => ends.push(error),
      }),
    );
    expect(events.map((e) => e.type)).toEqual(['message-start', 'finish']);
    expect(ends).toEqual([undefined]);
    expect(cancelled).toEqual([]);
  });

  test('a decoder that throws stops the upstream and ends with an error event', async () => {
    const ends: Array<ProviderError | undefined> = [];
    const { body, cancelled } = bodyOf(['data: 1\n\n'], { hang: true });
    const stage = {
      push() {
        throw new Error('decoder bug');
      },
      end() {},
    };
    const events = await readAll(
      decodeSseStream(body, stage, { provider: 'p', onEnd: (error) => ends.push(error) }),
    );
    expect(events).toEqual([
      { type: 'error', error: expect.objectContaining({ type: 'api_error', message: 'decoder bug' }) },
    ]);
    expect(ends).toHaveLength(1);
    expect(cancelled).toHaveLength(1);
  });

  test('cancelling the events cancels the body, and onEnd is not called', async () => {
    const ends: Array<ProviderError | undefined> = [];
    const { body, cancelled } = bodyOf(['data: {"type":"message_start","message":{"id":"m"}}\n\n'], {
      hang: true,
    });
    const reader = decodeSseStream(body, anthropicMessages.createStreamDecoder(), {
      provider: 'p',
      onEnd: (error) => ends.push(error),
    }).getReader();
    expect((await reader.read()).value).toMatchObject({ type: 'message-start' });
    const pending = reader.read();
    await reader.cancel('client gone');
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(cancelled).toEqual(['client gone']);
    expect(ends).toEqual([]);
  });
});
