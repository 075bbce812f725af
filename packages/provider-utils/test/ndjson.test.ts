/** NDJSON: the line parser, parseNdjson, and decodeNdjsonStream's contract (mirrors decodeSseStream's). */
import type { StreamEvent, StreamStage } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { decodeNdjsonStream } from '../src/ndjson/decode-ndjson-stream.ts';
import { createNdjsonParser, NdjsonLineError, parseNdjson } from '../src/ndjson/parse-ndjson.ts';
import { openEventBatches } from '../src/stream/event-batches.ts';
import { readAll } from '../src/test/call-context.ts';
import { replayStream } from '../src/test/replay-modes.ts';

const encode = (text: string) => new TextEncoder().encode(text);

function parseAll(chunks: Array<string | Uint8Array>): Array<[unknown, number]> {
  const out: Array<[unknown, number]> = [];
  const parser = createNdjsonParser((value, line) => out.push([value, line]));
  for (const chunk of chunks) parser.feed(typeof chunk === 'string' ? encode(chunk) : chunk);
  parser.end();
  return out;
}

describe('createNdjsonParser', () => {
  test('one value per line, with its line number; blank lines skipped but counted', () => {
    expect(parseAll(['{"a":1}\n\n  \n[2]\n"x"\nnull\n'])).toEqual([
      [{ a: 1 }, 1],
      [[2], 4],
      ['x', 5],
      [null, 6],
    ]);
  });

  test('lines split across chunks anywhere, even inside a UTF-8 character', () => {
    const text = '{"t":"héllo 👋"}\n{"t":"2"}\n';
    const bytes = encode(text);
    const oneByteEach = Array.from(bytes, (byte) => Uint8Array.of(byte));
    expect(parseAll(oneByteEach)).toEqual([
      [{ t: 'héllo 👋' }, 1],
      [{ t: '2' }, 2],
    ]);
    expect(parseAll([bytes.subarray(0, 15), bytes.subarray(15)])).toEqual(parseAll([bytes]));
  });

  test('CRLF line endings', () => {
    expect(parseAll(['{"a":1}\r\n\r\n{"b":2}\r', '\n'])).toEqual([
      [{ a: 1 }, 1],
      [{ b: 2 }, 3],
    ]);
  });

  test('a last line without newline still counts (and a blank one does not)', () => {
    expect(parseAll(['{"a":1}\n{"b"', ':2}'])).toEqual([
      [{ a: 1 }, 1],
      [{ b: 2 }, 2],
    ]);
    expect(parseAll(['{"a":1}\n  '])).toEqual([[{ a: 1 }, 1]]);
  });

  test('a line that is not JSON throws NdjsonLineError naming it, after the lines before it; then goes on', () => {
    const out: unknown[] = [];
    const parser = createNdjsonParser((value) => out.push(value));
    let error: unknown;
    try {
      parser.feed(encode('{"a":1}\n\n{"b":\n{"c":3}\n'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(NdjsonLineError);
    expect((error as NdjsonLineError).line).toBe(3);
    expect((error as NdjsonLineError).text).toBe('{"b":');
    expect((error as Error).message).toBe('line 3 is not JSON: {"b":');
    expect(out).toEqual([{ a: 1 }]);
    parser.feed(encode('{"d":4}\n'));
    parser.end();
    expect(out).toEqual([{ a: 1 }, { c: 3 }, { d: 4 }]);
  });

  test('a cut last line throws at the end', () => {
    const parser = createNdjsonParser(() => {});
    parser.feed(encode('{"a":1}\n{"b":'));
    expect(() => parser.end()).toThrow('line 2 is not JSON: {"b":');
  });

  test('a long bad line is cut in the message', () => {
    const parser = createNdjsonParser(() => {});
    expect(() => parser.feed(encode(`${'x'.repeat(300)}\n`))).toThrow(/^line 1 is not JSON: x{200}…$/);
  });
});

describe('parseNdjson', () => {
  test('a byte stream → values', async () => {
    const values = await readAll(
      parseNdjson(replayStream('{"a":1}\r\n{"b":2}', { split: 'bytes', lineEndings: 'as-recorded' })),
    );
    expect(values).toEqual([{ a: 1 }, { b: 2 }]);
  });

  test('a bad line errors the stream', async () => {
    await expect(readAll(parseNdjson(replayStream('{"a":1}\nnope\n')))).rejects.toThrow(
      'line 2 is not JSON: nope',
    );
  });
});

/** A tiny Ollama-like stage: `{"text"}` → text delta, `{"done":true}` → finish, `{"error"}` → error. */
function ollamaLike(): StreamStage<unknown, StreamEvent> & { ended: number } {
  let started = false;
  let done = false;
  const stage = {
    ended: 0,
    push(value: unknown, emit: (event: StreamEvent) => void) {
      if (done) return;
      const line = value as { text?: string; done?: boolean; error?: string };
      if (!started) {
        started = true;
        emit({ type: 'message-start', id: 'id', model: 'm' });
        emit({ type: 'block-start', index: 0, block: { type: 'text' } });
      }
      if (line.error) {
        done = true;
        emit({ type: 'error', error: new ProviderError({ type: 'api_error', message: line.error }) });
        return;
      }
      if (line.text) emit({ type: 'text-delta', index: 0, text: line.text });
      if (line.done) {
        done = true;
        emit({ type: 'block-stop', index: 0 });
        emit({ type: 'finish', reason: 'stop', usage: { outputTokens: 2 } });
      }
    },
    end() {
      stage.ended++;
    },
  };
  return stage;
}

function ended() {
  const outcomes: Array<ProviderError | undefined> = [];
  return { outcomes, onEnd: (error?: ProviderError) => outcomes.push(error) };
}

const text = (events: StreamEvent[]) => events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('');

describe('decodeNdjsonStream', () => {
  const wire = '{"text":"Hel"}\n{"text":"lo"}\n{"done":true}\n';

  test.each(['whole', 'bytes'] as const)(
    'decodes every line (%s), finish last, onEnd once with no error',
    async (split) => {
      const { outcomes, onEnd } = ended();
      const stage = ollamaLike();
      const events = await readAll(
        decodeNdjsonStream(replayStream(wire, { split, lineEndings: 'crlf' }), stage, {
          provider: 'ollama',
          onEnd,
        }),
      );
      expect(text(events)).toBe('Hello');
      expect(events.at(-1)?.type).toBe('finish');
      expect(outcomes).toEqual([undefined]);
      expect(stage.ended).toBe(1);
    },
  );

  test('a last line without newline is decoded', async () => {
    const events = await readAll(
      decodeNdjsonStream(replayStream(wire.trimEnd()), ollamaLike(), { provider: 'ollama' }),
    );
    expect(events.at(-1)?.type).toBe('finish');
  });

  test('input that stops without finish: a bad_upstream error event, onEnd with it', async () => {
    const { outcomes, onEnd } = ended();
    const events = await readAll(
      decodeNdjsonStream(replayStream('{"text":"Hel"}\n'), ollamaLike(), { provider: 'ollama', onEnd }),
    );
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    const error = (last as Extract<StreamEvent, { type: 'error' }>).error;
    expect(error.type).toBe('bad_upstream');
    expect(error.message).toBe('upstream ollama ended the stream before it finished');
    expect(outcomes).toEqual([error]);
  });

  test('a line that is not JSON: bad_upstream naming the line, the upstream cancelled, nothing after', async () => {
    let cancelled: unknown;
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return; // never ends by itself: only the cancel stops it
        sent = true;
        controller.enqueue(encode('{"text":"Hel"}\n<html>oops</html>\n{"text":"lo"}\n'));
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const { outcomes, onEnd } = ended();
    const events = await readAll(decodeNdjsonStream(body, ollamaLike(), { provider: 'ollama', onEnd }));
    expect(text(events)).toBe('Hel');
    const last = events.at(-1) as Extract<StreamEvent, { type: 'error' }>;
    expect(last.type).toBe('error');
    expect(last.error.type).toBe('bad_upstream');
    expect(last.error.message).toBe(
      'upstream ollama sent a line that is not JSON (line 2): <html>oops</html>',
    );
    expect(cancelled).toBeInstanceOf(NdjsonLineError);
    expect(outcomes).toEqual([last.error]);
  });

  test("the stage's own error event ends the stream; fixError rewrites it (redaction)", async () => {
    const { outcomes, onEnd } = ended();
    const events = await readAll(
      decodeNdjsonStream(
        replayStream('{"text":"a"}\n{"error":"bad key sk-123"}\n{"text":"b"}\n'),
        ollamaLike(),
        {
          provider: 'ollama',
          onEnd,
          fixError: (error) =>
            new ProviderError({ type: error.type, message: error.message.replace('sk-123', '[redacted]') }),
        },
      ),
    );
    const last = events.at(-1) as Extract<StreamEvent, { type: 'error' }>;
    expect(last.error.message).toBe('bad key [redacted]');
    expect(outcomes).toEqual([last.error]);
    expect(text(events)).toBe('a');
  });

  test('a failing read becomes an error event (through fixError)', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encode('{"text":"a"}\n'));
        controller.error(new ProviderError({ type: 'timeout', message: 'idle timeout' }));
      },
    });
    const { outcomes, onEnd } = ended();
    const events = await readAll(decodeNdjsonStream(body, ollamaLike(), { provider: 'ollama', onEnd }));
    const last = events.at(-1) as Extract<StreamEvent, { type: 'error' }>;
    expect(last.error.type).toBe('timeout');
    expect(outcomes).toHaveLength(1);
  });

  test('a stage that throws: the error becomes the final event', async () => {
    const stage: StreamStage<unknown, StreamEvent> = {
      push() {
        throw new Error('decoder bug');
      },
      end() {},
    };
    const events = await readAll(decodeNdjsonStream(replayStream('{}\n'), stage, { provider: 'ollama' }));
    expect(events).toHaveLength(1);
    expect((events[0] as Extract<StreamEvent, { type: 'error' }>).error.message).toBe('decoder bug');
  });

  test('cancelling cancels the body and does not call onEnd', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encode('{"text":"a"}\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const { outcomes, onEnd } = ended();
    const reader = decodeNdjsonStream(body, ollamaLike(), { provider: 'ollama', onEnd }).getReader();
    expect((await reader.read()).value?.type).toBe('message-start');
    await reader.cancel('bye');
    expect(cancelled).toBe(true);
    expect(outcomes).toEqual([]);
  });

  test('events come in batches, one per network chunk', async () => {
    const stream = decodeNdjsonStream(replayStream(wire), ollamaLike(), { provider: 'ollama' });
    const batches = openEventBatches(stream);
    expect(batches).toBeDefined();
    const first = await batches?.read();
    expect(first?.map((e) => e.type)).toEqual([
      'message-start',
      'block-start',
      'text-delta',
      'text-delta',
      'block-stop',
      'finish',
    ]);
    expect(await batches?.read()).toBeUndefined();
  });
});
