/** Coalescing observed on the wire, through the mock provider (no timer: flush_interval_ms 0). */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { configFrom } from './helpers/config.ts';
import { anthropicText, openaiText, parseSseText } from './helpers/sse.ts';
import { MODES, post, startTarget, type Target } from './helpers/targets.ts';

const FIFTY = Array.from({ length: 50 }, (_, i) => `w${i + 1}`).join(' ');

describe.each(MODES)('coalescing (%s)', (mode) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget(
      mode,
      configFrom(`
streaming:
  buffer_tokens: 5
  flush_interval_ms: 0
providers:
  mock:
    type: mock
    responses: { fifty: "${FIFTY}" }
models:
  fifty: { provider: mock }
  fifty-raw: { provider: mock, model: fifty, buffer_tokens: 1 }
`),
    );
  });
  afterAll(() => target.close());

  const ask = { stream: true, max_tokens: 100, messages: [{ role: 'user', content: 'go' }] };

  test('buffer_tokens 5: a 50-token stream arrives as the first token plus batches of 5', async () => {
    const { events } = parseSseText(
      await (await post(target, '/v1/messages', { model: 'fifty', ...ask })).text(),
    );
    const deltas = events.filter((e) => e.event === 'content_block_delta');
    expect(anthropicText(events)).toBe(FIFTY);
    expect(deltas.length).toBe(1 + Math.ceil(49 / 5));
  });

  test('per-model buffer_tokens 1: every token is its own event', async () => {
    const { events } = parseSseText(
      await (await post(target, '/v1/chat/completions', { model: 'fifty-raw', ...ask })).text(),
    );
    expect(openaiText(events)).toBe(FIFTY);
    const contentEvents = events.filter(
      (e) => e.data !== '[DONE]' && JSON.parse(e.data).choices[0]?.delta?.content,
    );
    expect(contentEvents.length).toBe(50);
  });
});
