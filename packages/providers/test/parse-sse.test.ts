import { readFileSync } from 'node:fs';
import { parseSse, type SseMessage } from '@tokenpak/provider-utils';
import { expect, test } from 'vitest';
import { fixtureUrl } from './helpers/fixtures.ts';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<SseMessage>): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  for await (const message of stream as unknown as AsyncIterable<SseMessage>) out.push(message);
  return out;
}

test('parses an Anthropic recording identically whole, byte by byte and with CRLF', async () => {
  const wire = readFileSync(fixtureUrl('anthropic/text.sse'), 'utf8');
  const whole = await collect(parseSse(streamOf([wire])));
  expect(whole[0]?.event).toBe('message_start');
  expect(whole.at(-1)?.event).toBe('message_stop');
  const bytewise = await collect(parseSse(streamOf([...wire])));
  const crlf = await collect(parseSse(streamOf([wire.replaceAll('\n', '\r\n')])));
  expect(bytewise).toEqual(whole);
  expect(crlf).toEqual(whole);
});
