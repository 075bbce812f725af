/** Stream shapes no recording has: built from chunk objects so each case names the quirk it covers. */
import { describe, expect, test } from 'vitest';
import { decodeWire, summarize } from './helpers.ts';

const base = { id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 1, model: 'm' };

function chunk(
  delta: Record<string, unknown>,
  finish: string | null = null,
  extra: Record<string, unknown> = {},
) {
  return JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }], ...extra });
}

function sse(...datas: string[]): string {
  return datas.map((data) => `data: ${data}\n\n`).join('');
}

const usageChunk = (usage: Record<string, unknown>) => JSON.stringify({ ...base, choices: [], usage });

describe('the end of the stream', () => {
  test('no [DONE] and no finish_reason: a network error, and no finish', async () => {
    const events = await decodeWire(sse(chunk({ role: 'assistant', content: 'Hel' })));
    const summary = summarize(events);
    expect(summary.text).toBe('Hel');
    expect(summary.finish).toBeUndefined();
    expect(summary.error?.type).toBe('network');
    expect(summary.error?.message).toBe('upstream closed the stream before it finished');
    expect(summary.error?.retryable).toBe(true);
  });

  test('finish_reason without [DONE]: finishes normally when the input ends', async () => {
    const summary = summarize(await decodeWire(sse(chunk({ content: 'ok' }), chunk({}, 'stop'))));
    expect(summary.finish?.reason).toBe('stop');
    expect(summary.error).toBeUndefined();
  });

  test('[DONE] without any finish_reason: stop, or tool-calls when the answer called tools', async () => {
    expect(summarize(await decodeWire(sse(chunk({ content: 'a' }), '[DONE]'))).finish?.reason).toBe('stop');
    const withTool = sse(
      chunk({
        tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
      }),
      '[DONE]',
    );
    expect(summarize(await decodeWire(withTool)).finish?.reason).toBe('tool-calls');
  });

  test('usage after the finish chunk and usage inside it are merged into the finish', async () => {
    const events = await decodeWire(
      sse(
        chunk({ content: 'a' }),
        chunk({}, 'length', { usage: { prompt_tokens: 5, completion_tokens: 1 } }),
        usageChunk({ prompt_tokens: 5, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 3 } }),
        JSON.stringify({ ...base, choices: [], usage: null, moderation: {} }),
        '[DONE]',
      ),
    );
    const finish = summarize(events).finish;
    expect(finish?.reason).toBe('length');
    expect(finish?.usage).toEqual({ inputTokens: 5, outputTokens: 2, cacheReadTokens: 3 });
    expect(events.filter((event) => event.type === 'usage')).toHaveLength(2);
    expect(events.at(-1)?.type).toBe('finish');
  });

  test('anything after [DONE] is ignored', async () => {
    const events = await decodeWire(
      sse(chunk({ content: 'a' }, 'stop'), '[DONE]', chunk({ content: 'late' }), 'junk'),
    );
    expect(summarize(events).text).toBe('a');
  });

  test('the finish chunk closes open blocks at once, before the usage chunk arrives', async () => {
    const events = await decodeWire(
      sse(chunk({ content: 'a' }), chunk({}, 'stop'), usageChunk({ prompt_tokens: 1 })),
    );
    expect(events.map((event) => event.type)).toEqual([
      'message-start',
      'block-start',
      'text-delta',
      'block-stop',
      'usage',
      'finish',
    ]);
  });
});

describe('errors inside a 200 stream', () => {
  test('a data chunk with an error object (no event name) becomes an error event with its type and code', async () => {
    const events = await decodeWire(
      sse(
        chunk({ content: 'a' }),
        JSON.stringify({ error: { message: 'The server had an error', type: 'server_error', code: null } }),
        '[DONE]',
      ),
    );
    const summary = summarize(events);
    expect(summary.error?.type).toBe('api_error');
    expect(summary.error?.message).toBe('The server had an error');
    expect(summary.error?.retryable).toBe(true);
  });

  test('an `event: error` message whose data is not JSON keeps the text', async () => {
    const summary = summarize(
      await decodeWire(`${sse(chunk({ content: 'a' }))}event: error\ndata: overloaded\n\n`),
    );
    expect(summary.error?.message).toBe('overloaded');
  });

  test('a rate-limit error in the stream is retryable; insufficient_quota is not', async () => {
    const limited = summarize(
      await decodeWire(sse(JSON.stringify({ error: { message: 'slow down', type: 'rate_limit_error' } }))),
    );
    expect(limited.error?.type).toBe('rate_limit');
    expect(limited.error?.retryable).toBe(true);
    const quota = summarize(
      await decodeWire(
        sse(
          JSON.stringify({
            error: { message: 'no credit', type: 'insufficient_quota', code: 'insufficient_quota' },
          }),
        ),
      ),
    );
    expect(quota.error?.type).toBe('rate_limit');
    expect(quota.error?.retryable).toBe(false);
  });

  test('invalid JSON is a bad_upstream error, and decoding stops there', async () => {
    const summary = summarize(
      await decodeWire(sse(chunk({ content: 'a' }), '{"choices": [', chunk({ content: 'b' }, 'stop'))),
    );
    expect(summary.text).toBe('a');
    expect(summary.error?.type).toBe('bad_upstream');
    expect(summary.error?.status).toBe(502);
  });
});

describe('blocks', () => {
  test('interleaved tool calls by index each get their own block and arguments', async () => {
    const call = (index: number, fn: Record<string, unknown>, id?: string) =>
      chunk({ tool_calls: [{ index, ...(id ? { id, type: 'function' } : {}), function: fn }] });
    const summary = summarize(
      await decodeWire(
        sse(
          call(0, { name: 'a', arguments: '' }, 'call_a'),
          call(1, { name: 'b', arguments: '{"y"' }, 'call_b'),
          call(0, { arguments: '{"x":' }),
          call(1, { arguments: ':2}' }),
          call(0, { arguments: '1}' }),
          chunk({}, 'tool_calls'),
          '[DONE]',
        ),
      ),
    );
    expect(summary.toolCalls).toEqual([
      { id: 'call_a', name: 'a', arguments: '{"x":1}' },
      { id: 'call_b', name: 'b', arguments: '{"y":2}' },
    ]);
    expect(summary.finish?.reason).toBe('tool-calls');
  });

  test('a server that sends every call as index 0 with a new id still gives separate calls', async () => {
    const full = (id: string, name: string, args: string) =>
      chunk({ tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: args } }] });
    const summary = summarize(
      await decodeWire(
        sse(full('c1', 'f', '{"a":1}'), full('c2', 'g', '{"b":2}'), chunk({}, 'tool_calls'), '[DONE]'),
      ),
    );
    expect(summary.toolCalls.map((call) => [call.id, call.name, call.arguments])).toEqual([
      ['c1', 'f', '{"a":1}'],
      ['c2', 'g', '{"b":2}'],
    ]);
  });

  test('reasoning, then text, then a tool call: each kind closes the one before', async () => {
    const events = await decodeWire(
      sse(
        chunk({ reasoning: 'think' }),
        chunk({ content: 'say' }),
        chunk({
          tool_calls: [
            { index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } },
          ],
        }),
        chunk({}, 'tool_calls'),
        '[DONE]',
      ),
    );
    expect(events.map((event) => `${event.type}${'index' in event ? event.index : ''}`)).toEqual([
      'message-start',
      'block-start0',
      'reasoning-delta0',
      'block-stop0',
      'block-start1',
      'text-delta1',
      'block-stop1',
      'block-start2',
      'tool-call-delta2',
      'block-stop2',
      'finish',
    ]);
    expect(summarize(events).blockTypes).toEqual(['reasoning', 'text', 'tool-call']);
  });

  test('finish reasons map onto canonical ones', async () => {
    const reasons: Record<string, string> = {
      stop: 'stop',
      length: 'length',
      tool_calls: 'tool-calls',
      function_call: 'tool-calls',
      content_filter: 'content-filter',
      something_new: 'other',
    };
    for (const [wire, canonical] of Object.entries(reasons)) {
      const summary = summarize(await decodeWire(sse(chunk({ content: 'a' }, wire), '[DONE]')));
      expect(summary.finish?.reason).toBe(canonical);
    }
  });
});
