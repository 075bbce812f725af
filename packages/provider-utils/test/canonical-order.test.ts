/** assertCanonicalOrder / canonicalOrderProblems: a well-formed stream passes, each break is named. */
import type { StreamEvent } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { assertCanonicalOrder, canonicalOrderProblems } from '../src/test/assert-canonical-order.ts';

const start: StreamEvent = { type: 'message-start', id: 'm1', model: 'x', usage: { inputTokens: 3 } };
const finish: StreamEvent = { type: 'finish', reason: 'stop', usage: { inputTokens: 3, outputTokens: 2 } };
const error: StreamEvent = {
  type: 'error',
  error: new ProviderError({ type: 'network', message: 'upstream closed the stream before it finished' }),
};

/** Two tool calls open at once (OpenAI parallel calls), a reasoning block with a signature, then usage. */
const good: StreamEvent[] = [
  start,
  { type: 'block-start', index: 0, block: { type: 'reasoning' } },
  { type: 'reasoning-delta', index: 0, text: 'hmm' },
  { type: 'reasoning-signature', index: 0, signature: 'sig' },
  { type: 'block-stop', index: 0 },
  { type: 'block-start', index: 1, block: { type: 'tool-call', id: 'a', name: 'f' } },
  { type: 'block-start', index: 2, block: { type: 'tool-call', id: 'b', name: 'g' } },
  { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
  { type: 'tool-call-delta', index: 2, argumentsDelta: '{}' },
  { type: 'block-stop', index: 1 },
  { type: 'block-stop', index: 2 },
  { type: 'usage', usage: { outputTokens: 2 } },
  { ...finish, reason: 'tool-calls' },
];

describe('canonical order', () => {
  test('a well-formed stream passes', () => {
    expect(canonicalOrderProblems(good)).toEqual([]);
    expect(() => assertCanonicalOrder(good)).not.toThrow();
  });

  test('an error may come alone, or leave blocks open', () => {
    expect(canonicalOrderProblems([error])).toEqual([]);
    expect(canonicalOrderProblems([start, good[5] as StreamEvent, error])).toEqual([]);
  });

  test('gaps in block indices are allowed unless denseIndices', () => {
    const gap: StreamEvent[] = [
      start,
      { type: 'block-start', index: 1, block: { type: 'text' } },
      { type: 'block-stop', index: 1 },
      finish,
    ];
    expect(canonicalOrderProblems(gap)).toEqual([]);
    expect(canonicalOrderProblems(gap, { denseIndices: true })).toEqual([
      'event 1 (block-start 1): expected block 0 (indices must be dense)',
    ]);
  });

  const cases: Array<[string, StreamEvent[], string[]]> = [
    ['no events', [], ['the stream has no events (it needs a finish or an error)']],
    ['no terminal event', [start], ['the stream ends with neither finish nor error']],
    [
      'content before message-start',
      [{ type: 'usage', usage: {} }, start, finish],
      [
        'event 0 (usage) comes before message-start',
        'event 1 (message-start): message-start must be the first event',
      ],
    ],
    ['two message-starts', [start, start, finish], ['event 1 (message-start): a second message-start']],
    [
      'a delta before its block-start',
      [start, { type: 'text-delta', index: 0, text: 'a' }, finish],
      ['event 1 (text-delta 0): block 0 was never started'],
    ],
    [
      'a delta after its block-stop',
      [
        start,
        { type: 'block-start', index: 0, block: { type: 'text' } },
        { type: 'block-stop', index: 0 },
        { type: 'text-delta', index: 0, text: 'late' },
        finish,
      ],
      ['event 3 (text-delta 0): block 0 is already stopped'],
    ],
    [
      'a delta of the wrong type',
      [
        start,
        { type: 'block-start', index: 0, block: { type: 'text' } },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '{' },
        { type: 'reasoning-signature', index: 0, signature: 's' },
        { type: 'block-stop', index: 0 },
        finish,
      ],
      [
        'event 2 (tool-call-delta 0): a tool-call-delta cannot go to a text block',
        'event 3 (reasoning-signature 0): a reasoning-signature cannot go to a text block',
      ],
    ],
    [
      'a block started twice, stopped twice, indices going back',
      [
        start,
        { type: 'block-start', index: 1, block: { type: 'text' } },
        { type: 'block-start', index: 1, block: { type: 'text' } },
        { type: 'block-start', index: 0, block: { type: 'text' } },
        { type: 'block-stop', index: 1 },
        { type: 'block-stop', index: 1 },
        { type: 'block-stop', index: 0 },
        { type: 'block-stop', index: 5 },
        finish,
      ],
      [
        'event 2 (block-start 1): block 1 was already started',
        'event 3 (block-start 0): block 0 starts after block 1 (indices must increase)',
        'event 5 (block-stop 1): block 1 is stopped twice',
        'event 7 (block-stop 5): block 5 was never started',
      ],
    ],
    [
      'finish with an open block',
      [start, { type: 'block-start', index: 0, block: { type: 'text' } }, finish],
      ['event 2 (finish): blocks 0 are still open'],
    ],
    [
      'events after the terminal one, and a second terminal',
      [start, finish, { type: 'usage', usage: {} }, error],
      [
        'event 2 (usage) comes after the terminal finish at 1',
        'event 3 (error) comes after the terminal finish at 1',
      ],
    ],
    [
      'a bad finish reason and bad usage',
      [start, { type: 'finish', reason: 'done' as 'stop', usage: { outputTokens: -1 } }],
      [
        'event 1 (finish): unknown reason done',
        'event 1 (finish): usage.outputTokens is -1, not a whole number >= 0',
      ],
    ],
  ];

  test.each(cases)('%s', (_name, events, problems) => {
    expect(canonicalOrderProblems(events)).toEqual(problems);
    expect(() => assertCanonicalOrder(events)).toThrow(problems[0]);
  });

  test('requireMessageStart: false accepts a stream without message-start', () => {
    const events: StreamEvent[] = [
      { type: 'block-start', index: 0, block: { type: 'text' } },
      { type: 'block-stop', index: 0 },
      finish,
    ];
    expect(canonicalOrderProblems(events, { requireMessageStart: false })).toEqual([]);
    expect(canonicalOrderProblems(events)).toEqual(['event 0 (block-start 0) comes before message-start']);
  });

  test('the thrown error lists the events', () => {
    expect(() => assertCanonicalOrder([start])).toThrow('events: message-start');
  });
});
