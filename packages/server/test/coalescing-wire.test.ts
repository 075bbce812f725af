/**
 * Coalescing observed on the wire: a real socket (`serve`), a real openai provider, and an upstream that
 * sends its tokens at a set pace. Counts events, never durations: the tests' own timeouts are the bounds.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { configFrom } from './helpers/config.ts';
import { type PacedUpstream, pacedText, startPacedUpstream } from './helpers/paced-upstream.ts';
import { anthropicText, openaiText, type ParsedSse, parseSseText } from './helpers/sse.ts';
import { post, startTarget, type Target } from './helpers/targets.ts';

let upstream: PacedUpstream;
let target: Target;

beforeAll(async () => {
  upstream = await startPacedUpstream();
  target = await startTarget(
    'socket',
    configFrom(`
streaming:
  buffer_tokens: 5
  flush_interval_ms: 500
providers:
  up:
    type: openai
    max_retries: 0
    api_key: sk-test-paced
    base_url: ${upstream.url}/v1
models:
  fifty: { provider: up, model: "paced:50:0" }
  slow: { provider: up, model: "paced:50:40", buffer_tokens: 50, flush_interval_ms: 100 }
  seven: { provider: up, model: "paced:7:30", buffer_tokens: 50, flush_interval_ms: 10000 }
`),
  );
});
afterAll(async () => {
  await target?.close();
  await upstream?.close();
});

const ask = (model: string) => ({ model, stream: true, messages: [{ role: 'user', content: 'go' }] });

/** The text of each Anthropic content event, in order. */
function anthropicBatches(events: ParsedSse[]): string[] {
  return events
    .filter((e) => e.event === 'content_block_delta')
    .map((e) => JSON.parse(e.data).delta.text as string);
}

/** The text of each OpenAI chunk that carries content, in order. */
function openaiBatches(events: ParsedSse[]): string[] {
  return events
    .filter((e) => e.data !== '[DONE]')
    .map((e) => JSON.parse(e.data).choices[0]?.delta?.content)
    .filter((content): content is string => typeof content === 'string' && content !== '');
}

const tokens = (batch: string) => batch.trim().split(/\s+/).length;

describe('coalescing on the wire (socket, openai provider, paced upstream)', () => {
  test('buffer_tokens 5: a 50-token upstream stream reaches the client as the first token, then ~10 events', async () => {
    const res = await post(target, '/v1/messages', ask('fifty'));
    expect(res.status).toBe(200);
    const { events } = parseSseText(await res.text());
    expect(anthropicText(events)).toBe(pacedText(50));
    const batches = anthropicBatches(events);
    expect(batches[0]).toBe('w1');
    // 49 tokens in batches of 5 are 10 events; a timer flush (500 ms) on a slow machine may split one more.
    expect(batches.length - 1).toBeGreaterThanOrEqual(10);
    expect(batches.length - 1).toBeLessThanOrEqual(12);
    for (const batch of batches) expect(tokens(batch)).toBeLessThanOrEqual(5);
    expect(events.at(-1)?.event).toBe('message_stop');
  });

  test('the same through the OpenAI dialect: batches of at most 5 tokens, [DONE] at the end', async () => {
    const res = await post(target, '/v1/chat/completions', ask('fifty'));
    const { events } = parseSseText(await res.text());
    expect(openaiText(events)).toBe(pacedText(50));
    const batches = openaiBatches(events);
    expect(batches[0]).toBe('w1');
    expect(batches.length - 1).toBeGreaterThanOrEqual(10);
    expect(batches.length - 1).toBeLessThanOrEqual(12);
    for (const batch of batches) expect(tokens(batch)).toBeLessThanOrEqual(5);
    expect(events.at(-1)?.data).toBe('[DONE]');
  });

  test('slow tokens (one per ~40 ms), buffer_tokens 50, flush 100 ms: many small batches, never one of 50', async () => {
    const res = await post(target, '/v1/messages', ask('slow'));
    const { events } = parseSseText(await res.text());
    expect(anthropicText(events)).toBe(pacedText(50));
    const batches = anthropicBatches(events);
    expect(batches[0]).toBe('w1');
    // The timer, not the token count, decides: 2 s of tokens in 100 ms windows is about 20 batches.
    // Waiting for 50 tokens would give 2 events (the first token, then 49).
    expect(batches.length).toBeGreaterThanOrEqual(6);
    expect(Math.max(...batches.map(tokens))).toBeLessThanOrEqual(25);
  }, 15_000);

  test('flush 10 s, buffer_tokens 50, upstream sends 7 tokens and ends: all 7 and the end arrive at once', async () => {
    // Without a flush on upstream end this would wait for the 10 s timer; the test's 5 s timeout is the bound.
    const res = await post(target, '/v1/messages', ask('seven'));
    const { events } = parseSseText(await res.text());
    expect(anthropicText(events)).toBe(pacedText(7));
    // First token at once, the other six held (fewer than 50, timer far away) and flushed by the end.
    expect(anthropicBatches(events)).toEqual(['w1', ' w2 w3 w4 w5 w6 w7']);
    expect(events.at(-1)?.event).toBe('message_stop');
  }, 5_000);
});
