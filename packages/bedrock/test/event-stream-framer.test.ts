/**
 * The event-stream framer alone (no HTTP): frames encoded by AWS's codec, fed whole, several per chunk, cut at
 * every byte and at random points; a corrupted frame, an impossible length and a stream cut inside a frame.
 */
import { ProviderError } from '@tokenpak/provider';
import { replayChunks, replayModes } from '@tokenpak/provider-utils/test';
import { describe, expect, test } from 'vitest';
import { type EventStreamMessage, eventStreamFramer } from '../src/index.ts';
import { encodeFrames, streamFixtures } from './helpers/fixtures.ts';

const modes = replayModes({ seeds: [1, 2, 3, 4], maxChunk: 40, flipLineEndings: false });

/** Feeds the chunks; returns each message as `{ type, payload }`. */
function frame(chunks: Uint8Array[]) {
  const framer = eventStreamFramer();
  const out: EventStreamMessage[] = [];
  for (const chunk of chunks) framer.feed(chunk, (m) => out.push(m));
  framer.end((m) => out.push(m));
  return out.map((m) => ({
    type: m.headers[':event-type'] ?? m.headers[':exception-type'],
    messageType: m.headers[':message-type'],
    payload: JSON.parse(new TextDecoder().decode(m.body)),
  }));
}

describe.each(streamFixtures())('$name', (fixture) => {
  const bytes = encodeFrames(fixture.frames);
  const expected = fixture.frames.map((f) => ({
    type: 'event' in f ? f.event : f.exception,
    messageType: 'event' in f ? 'event' : 'exception',
    payload: f.payload,
  }));

  test.each(modes)('cut $name: every frame, in order', (mode) => {
    const chunks = replayChunks(bytes, mode).map((c) => c.bytes);
    expect(frame(chunks)).toEqual(expected);
  });

  test('all frames in one chunk, and two streams back to back in one', () => {
    const twice = new Uint8Array(bytes.length * 2);
    twice.set(bytes);
    twice.set(bytes, bytes.length);
    expect(frame([twice])).toEqual([...expected, ...expected]);
  });
});

test('the framer leaves the chunks it is given as they were', () => {
  const bytes = encodeFrames(streamFixtures()[0]!.frames);
  const copy = bytes.slice();
  frame([bytes]);
  expect(bytes).toEqual(copy);
});

describe('bad input', () => {
  const bytes = encodeFrames(streamFixtures().find((f) => f.name === 'text')!.frames);

  test('a flipped byte fails the CRC: BadFrameError, a bad_upstream error', () => {
    const broken = bytes.slice();
    broken[20] = (broken[20] as number) ^ 0xff;
    const framer = eventStreamFramer();
    let thrown: unknown;
    try {
      framer.feed(broken, () => {});
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: 'BadFrameError' });
    const error = framer.errorFor?.(thrown, 'aws');
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ type: 'bad_upstream', provider: 'aws' });
    expect(error?.message).toContain('event-stream frame that cannot be decoded');
  });

  test('an impossible length (not an event stream at all) fails at once, not after 4 GB', () => {
    const framer = eventStreamFramer();
    expect(() => framer.feed(new TextEncoder().encode('{"message":"not a frame"}'), () => {})).toThrow(
      /frame length of \d+ bytes/,
    );
  });

  test('input that ends inside a frame: TruncatedFrameError, a network error', () => {
    const framer = eventStreamFramer();
    const out: unknown[] = [];
    framer.feed(bytes.subarray(0, bytes.length - 5), (m) => out.push(m));
    let thrown: unknown;
    try {
      framer.end(() => {});
    } catch (error) {
      thrown = error;
    }
    expect(out.length).toBeGreaterThan(0);
    expect(thrown).toMatchObject({ name: 'TruncatedFrameError' });
    expect(framer.errorFor?.(thrown, 'aws')).toMatchObject({
      type: 'network',
      message: expect.stringMatching(
        /closed the stream early: the stream ended inside a frame \(\d+ of \d+ bytes/,
      ),
    });
  });

  test('other errors are left to the kit', () => {
    expect(eventStreamFramer().errorFor?.(new Error('x'), 'aws')).toBeUndefined();
  });
});
