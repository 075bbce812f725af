/**
 * The four recorded Responses streams through parseSse → openaiResponses.decodeStream(): in one piece, one
 * byte per network chunk, and with CRLF line ends. The figures below were read off the recordings
 * (fixtures/openai/responses-*.sse; sources in provider-utils/test/fixtures/README.md).
 */
import type { StreamEvent } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { summarize } from '../chat/helpers.ts';
import { decodeWire, RECORDINGS, readRecording, type Split } from './helpers.ts';

const splits: Split[] = ['whole', 'bytes', 'crlf'];

describe.each(splits)('split: %s', (split) => {
  test('responses-text.sse: the text, stop, and usage of response.completed', async () => {
    const events = await decodeWire(readRecording('responses-text.sse'), split);
    const summary = summarize(events);
    expect(summary.id).toBe('resp_67e554a21aa88191b65876ac5e5bbe0406c52f0e511c76ed');
    expect(summary.model).toBe('gpt-4o-2024-08-06');
    expect(summary.text).toBe('The capital of France is Paris.');
    expect(summary.blockTypes).toEqual(['text']);
    // 7 output_text.delta events, each its own text-delta.
    expect(events.filter((e) => e.type === 'text-delta')).toHaveLength(7);
    // usage: input_tokens 278 (cached 0), output_tokens 9 (reasoning 0), total 287.
    expect(summary.finish).toEqual({
      type: 'finish',
      reason: 'stop',
      usage: { inputTokens: 278, outputTokens: 9, cacheReadTokens: 0, reasoningTokens: 0 },
    });
  });

  test('responses-function-call.sse: one call, its arguments, tool-calls', async () => {
    const events = await decodeWire(readRecording('responses-function-call.sse'), split);
    const summary = summarize(events);
    expect(summary.id).toBe('resp_67e554a155508191900ee113293c4c830794405d35281ae2');
    expect(summary.toolCalls).toEqual([
      { id: 'call_kL0PCQV7M2WMoVX8V8OtYSAL', name: 'get_capital', arguments: '{"country":"France"}' },
    ]);
    expect(events.filter((e) => e.type === 'tool-call-delta')).toHaveLength(5);
    // usage: 255 in (0 cached), 16 out (0 reasoning).
    expect(summary.finish?.reason).toBe('tool-calls');
    expect(summary.finish?.usage).toEqual({
      inputTokens: 255,
      outputTokens: 16,
      cacheReadTokens: 0,
      reasoningTokens: 0,
    });
  });

  test('responses-reasoning-function-call.sse: an encrypted reasoning block, then the call', async () => {
    const text = readRecording('responses-reasoning-function-call.sse');
    const events = await decodeWire(text, split);
    const summary = summarize(events);
    expect(summary.id).toBe('resp_0050471a34b36ae60068c97b94a480819587a9d70cf2979b33');
    expect(summary.model).toBe('gpt-5-2025-08-07');
    expect(summary.blockTypes).toEqual(['reasoning', 'tool-call']);
    expect(summary.reasoning).toBe(''); // no summary deltas in this recording
    // The signature is the encrypted_content of the reasoning item's output_item.done (sequence 3).
    const done = text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)))
      .find((event) => event.type === 'response.output_item.done' && event.item.type === 'reasoning');
    const signature = events.find(
      (e): e is Extract<StreamEvent, { type: 'reasoning-signature' }> => e.type === 'reasoning-signature',
    );
    expect(signature).toEqual({
      type: 'reasoning-signature',
      index: 0,
      signature: done.item.encrypted_content,
    });
    expect(signature?.signature.startsWith('gAAAAABoyXvxI6jwG5j6')).toBe(true);
    expect(summary.toolCalls).toEqual([
      { id: 'call_CWXgs68YprAjp6t0371hiPOI', name: 'final_result', arguments: '{"result":6666}' },
    ]);
    // usage: 53 in (0 cached), 469 out of which 448 reasoning.
    expect(summary.finish?.reason).toBe('tool-calls');
    expect(summary.finish?.usage).toEqual({
      inputTokens: 53,
      outputTokens: 469,
      cacheReadTokens: 0,
      reasoningTokens: 448,
    });
  });

  test('responses-error-insufficient-quota.sse: the error event wins, typed rate_limit, not retryable', async () => {
    const events = await decodeWire(readRecording('responses-error-insufficient-quota.sse'), split);
    expect(events.map((e) => e.type)).toEqual(['message-start', 'error']);
    const summary = summarize(events);
    expect(summary.id).toBe('resp_05500b38c2cd9bfc00691c7c9d222481a3b595421266dab424');
    expect(summary.model).toBe('gpt-5-nano-2025-08-07');
    expect(summary.error).toMatchObject({
      type: 'rate_limit',
      status: 429,
      code: 'insufficient_quota',
      retryable: false,
    });
    expect(summary.error?.message).toMatch(/^You exceeded your current quota/);
  });
});

test('every recording is covered', () => {
  expect(RECORDINGS.every((name) => readRecording(name).length > 0)).toBe(true);
});

test('each recording cut before its terminal event ends with a network error', async () => {
  for (const name of RECORDINGS) {
    const text = readRecording(name);
    const cut = text.slice(0, text.lastIndexOf('event: '));
    const events = await decodeWire(cut);
    const last = events.at(-1);
    if (name.includes('error')) expect(last?.type).toBe('error');
    else expect(last).toMatchObject({ type: 'error', error: { type: 'network' } });
  }
});
