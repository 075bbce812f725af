/**
 * Reasoning controls across dialects, wire to wire: a client body → parseRequest (client dialect) →
 * buildRequest (upstream dialect) → the upstream body, compared whole, with the warnings exactly.
 *
 * Anthropic `thinking` (enabled / adaptive / disabled) and `output_config.effort` ⇄ Chat Completions
 * `reasoning_effort` ⇄ Responses `reasoning.effort`. The mappings are written in the dialect READMEs.
 */

import { anthropicMessages } from '@tokenpak/anthropic';
import { openaiChat, openaiResponses } from '@tokenpak/openai';
import type { Dialect } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';

function translate(client: Dialect, upstream: Dialect, body: Record<string, unknown>, model: string) {
  const { request, warnings } = client.parseRequest(body);
  const built = upstream.buildRequest(request, { model, stream: false, defaultMaxTokens: 4096 }, warnings);
  return { upstream: built, warnings };
}

const anthropicClient = (extra: Record<string, unknown>) => ({
  model: 'claude-alias',
  max_tokens: 8000,
  messages: [{ role: 'user', content: 'Prove it.' }],
  ...extra,
});
const chatClient = (extra: Record<string, unknown>) => ({
  model: 'gpt-alias',
  messages: [{ role: 'user', content: 'Prove it.' }],
  ...extra,
});
const responsesClient = (extra: Record<string, unknown>) => ({
  model: 'gpt-alias',
  input: 'Prove it.',
  ...extra,
});

const CHAT_MESSAGES = [{ role: 'user', content: 'Prove it.' }];
const RESPONSES_INPUT = [
  { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Prove it.' }] },
];
const ANTHROPIC_MESSAGES = [{ role: 'user', content: [{ type: 'text', text: 'Prove it.' }] }];

/** [name, Anthropic body fields, Chat `reasoning_effort` (undefined: none sent), warnings]. */
const FROM_ANTHROPIC: Array<
  [string, Record<string, unknown>, string | undefined, (param: string) => string[]]
> = [
  [
    'thinking enabled, budget < 2048 → low',
    { thinking: { type: 'enabled', budget_tokens: 1024 } },
    'low',
    (param) => [`the reasoning budget of 1024 tokens is sent as ${param} 'low'`],
  ],
  [
    'thinking enabled, budget < 8192 → medium',
    { thinking: { type: 'enabled', budget_tokens: 2048 } },
    'medium',
    (param) => [`the reasoning budget of 2048 tokens is sent as ${param} 'medium'`],
  ],
  [
    'thinking enabled, budget ≥ 8192 → high',
    { max_tokens: 20000, thinking: { type: 'enabled', budget_tokens: 8192 } },
    'high',
    (param) => [`the reasoning budget of 8192 tokens is sent as ${param} 'high'`],
  ],
  [
    'thinking adaptive alone → no effort (the model decides)',
    { thinking: { type: 'adaptive' } },
    undefined,
    () => [],
  ],
  ['thinking disabled → no effort', { thinking: { type: 'disabled' } }, undefined, () => []],
  [
    'adaptive + output_config.effort low',
    { thinking: { type: 'adaptive' }, output_config: { effort: 'low' } },
    'low',
    () => [],
  ],
  ['output_config.effort medium alone', { output_config: { effort: 'medium' } }, 'medium', () => []],
  [
    'adaptive + output_config.effort high',
    { thinking: { type: 'adaptive' }, output_config: { effort: 'high' } },
    'high',
    () => [],
  ],
  ['output_config.effort xhigh', { output_config: { effort: 'xhigh' } }, 'xhigh', () => []],
  [
    "output_config.effort max → xhigh, OpenAI's highest",
    { thinking: { type: 'adaptive' }, output_config: { effort: 'max' } },
    'xhigh',
    (param) => [`output_config.effort 'max' is sent as ${param} 'xhigh', OpenAI's highest`],
  ],
  [
    'a budget and an effort: the effort wins',
    {
      thinking: { type: 'enabled', budget_tokens: 16000 },
      max_tokens: 20000,
      output_config: { effort: 'low' },
    },
    'low',
    () => [],
  ],
  [
    'an effort Anthropic does not document: Anthropic upstreams only',
    { output_config: { effort: 'turbo' } },
    undefined,
    (param) => [
      'output_config.effort "turbo" is sent only to Anthropic upstreams (dropped for others)',
      param === 'reasoning_effort'
        ? 'dropped (no OpenAI equivalent): output_config'
        : 'dropped (no Responses equivalent): output_config',
    ],
  ],
];

describe('Anthropic client → Chat Completions upstream', () => {
  test.each(FROM_ANTHROPIC)('%s', (_name, extra, effort, warnings) => {
    const body = anthropicClient(extra);
    const { upstream, warnings: got } = translate(anthropicMessages, openaiChat, body, 'gpt-5');
    expect(upstream).toEqual({
      model: 'gpt-5',
      messages: CHAT_MESSAGES,
      max_tokens: body.max_tokens,
      ...(effort !== undefined && { reasoning_effort: effort }),
      stream: false,
    });
    expect(got).toEqual(warnings('reasoning_effort'));
  });
});

describe('Anthropic client → Responses upstream', () => {
  test.each(FROM_ANTHROPIC)('%s', (_name, extra, effort, warnings) => {
    const body = anthropicClient(extra);
    const { upstream, warnings: got } = translate(anthropicMessages, openaiResponses, body, 'gpt-5');
    expect(upstream).toEqual({
      model: 'gpt-5',
      input: RESPONSES_INPUT,
      max_output_tokens: body.max_tokens,
      ...(effort !== undefined && { reasoning: { effort } }),
      stream: false,
    });
    expect(got).toEqual(warnings('reasoning.effort'));
  });

  test("Claude Code's body: adaptive thinking, output_config.effort, context_management", () => {
    const body = anthropicClient({
      thinking: { type: 'adaptive' },
      output_config: { effort: 'medium' },
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
    });
    const { upstream, warnings } = translate(anthropicMessages, openaiResponses, body, 'gpt-5');
    expect(upstream).toEqual({
      model: 'gpt-5',
      input: RESPONSES_INPUT,
      max_output_tokens: 8000,
      reasoning: { effort: 'medium' },
      stream: false,
    });
    expect(warnings).toEqual(['dropped (no Responses equivalent): context_management']);
  });
});

/** [OpenAI effort, Anthropic `thinking` (undefined: none sent), Anthropic max_tokens]. */
const TO_ANTHROPIC: Array<[string, Record<string, unknown> | undefined, number]> = [
  ['none', undefined, 4096],
  ['minimal', undefined, 4096],
  ['low', { type: 'enabled', budget_tokens: 1024 }, 4096],
  ['medium', { type: 'enabled', budget_tokens: 4096 }, 4096 + 4096],
  ['high', { type: 'enabled', budget_tokens: 16384 }, 16384 + 4096],
  ['xhigh', { type: 'enabled', budget_tokens: 32768 }, 32768 + 4096],
];

describe('Chat Completions client → Anthropic upstream', () => {
  test.each(TO_ANTHROPIC)('reasoning_effort %s', (effort, thinking, maxTokens) => {
    const body = chatClient({ reasoning_effort: effort });
    const { upstream, warnings } = translate(openaiChat, anthropicMessages, body, 'claude-sonnet-4-5');
    expect(upstream).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: maxTokens,
      messages: ANTHROPIC_MESSAGES,
      ...(thinking !== undefined && { thinking }),
      stream: false,
    });
    expect(warnings).toEqual([]);
  });

  test('a budget that does not fit under the client max_completion_tokens is shrunk to fit', () => {
    const body = chatClient({ reasoning_effort: 'high', max_completion_tokens: 5000 });
    const { upstream, warnings } = translate(openaiChat, anthropicMessages, body, 'claude-sonnet-4-5');
    expect(upstream).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 5000,
      messages: ANTHROPIC_MESSAGES,
      thinking: { type: 'enabled', budget_tokens: 4999 },
      stream: false,
    });
    expect(warnings).toEqual([]);
  });

  test('an unknown reasoning_effort is for OpenAI-dialect upstreams only', () => {
    const body = chatClient({ reasoning_effort: 'ultra' });
    const { upstream, warnings } = translate(openaiChat, anthropicMessages, body, 'claude-sonnet-4-5');
    expect(upstream).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      messages: ANTHROPIC_MESSAGES,
      stream: false,
    });
    expect(warnings).toEqual([
      "reasoning_effort 'ultra' is only passed to OpenAI-dialect upstreams",
      'reasoning_effort has no Anthropic equivalent; dropped',
    ]);
  });
});

describe('Responses client → Anthropic upstream', () => {
  test.each(TO_ANTHROPIC)('reasoning.effort %s', (effort, thinking, maxTokens) => {
    const body = responsesClient({ reasoning: { effort } });
    const { upstream, warnings } = translate(openaiResponses, anthropicMessages, body, 'claude-sonnet-4-5');
    expect(upstream).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: maxTokens,
      messages: ANTHROPIC_MESSAGES,
      ...(thinking !== undefined && { thinking }),
      stream: false,
    });
    expect(warnings).toEqual([]);
  });

  test("Codex's reasoning: the effort maps, the summary is for Responses upstreams only", () => {
    const body = responsesClient({ reasoning: { effort: 'medium', summary: 'auto' } });
    const { upstream, warnings } = translate(openaiResponses, anthropicMessages, body, 'claude-sonnet-4-5');
    expect(upstream).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 8192,
      messages: ANTHROPIC_MESSAGES,
      thinking: { type: 'enabled', budget_tokens: 4096 },
      stream: false,
    });
    expect(warnings).toEqual([
      'reasoning.summary is only passed to OpenAI Responses upstreams',
      'reasoning has no Anthropic equivalent; dropped',
    ]);
  });
});

const OPENAI_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];

describe('Chat Completions client → Responses upstream', () => {
  test.each(OPENAI_EFFORTS)('reasoning_effort %s → reasoning.effort', (effort) => {
    const body = chatClient({ reasoning_effort: effort });
    const { upstream, warnings } = translate(openaiChat, openaiResponses, body, 'gpt-5');
    expect(upstream).toEqual({
      model: 'gpt-5',
      input: RESPONSES_INPUT,
      reasoning: { effort },
      stream: false,
    });
    expect(warnings).toEqual([]);
  });
});

describe('Responses client → Chat Completions upstream', () => {
  test.each(OPENAI_EFFORTS)('reasoning.effort %s → reasoning_effort', (effort) => {
    const body = responsesClient({ reasoning: { effort } });
    const { upstream, warnings } = translate(openaiResponses, openaiChat, body, 'gpt-5');
    expect(upstream).toEqual({
      model: 'gpt-5',
      messages: CHAT_MESSAGES,
      reasoning_effort: effort,
      stream: false,
    });
    expect(warnings).toEqual([]);
  });
});
