/**
 * Recorded upstream streams, decoded by the provider's dialect and encoded for the client's dialect, in all
 * four pairs. Every output is run through the target's order validator, and what the client reassembles is
 * compared with what the upstream said (read independently from the recording).
 */
import { readdirSync } from 'node:fs';
import { anthropicMessages } from '@tokenpak/anthropic';
import { openaiChat } from '@tokenpak/openai';
import { describe, expect, test } from 'vitest';
import { fixtureUrl } from '../helpers/fixtures.ts';
import { type AnthropicBlock, checkAnthropicWire } from './anthropic-wire-order.ts';
import { checkOpenAIWire } from './openai-wire-order.ts';
import { readAnthropicSource, readOpenAISource } from './source-readers.ts';
import {
  anthropicSse,
  chunk,
  collect,
  decode,
  encode,
  openaiSse,
  readFixture,
  streamOf,
  translate,
} from './support.ts';

const list = (dir: string, keep: (name: string) => boolean) =>
  readdirSync(fixtureUrl(dir))
    .filter(keep)
    .sort()
    .map((name) => `${dir}${name}`);

/** Every Chat Completions recording (the Responses API ones are for a later provider). */
const openaiFixtures = [
  ...list('openai/', (name) => name.startsWith('chat-') && name.endsWith('.sse')),
  ...list('openai-compatible/', (name) => name.endsWith('.sse')),
];
const anthropicFixtures = list('anthropic/', (name) => name.endsWith('.sse'));

/** Consecutive repeats collapsed to `name*`, so that the order reads at a glance. */
function shape(names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const last = out[out.length - 1];
    if (last === name) out[out.length - 1] = `${name}*`;
    else if (last !== `${name}*`) out.push(name);
  }
  return out;
}

const OPENAI_TO_ANTHROPIC_STOP: Record<string, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};
const ANTHROPIC_TO_OPENAI_FINISH: Record<string, string> = {
  end_turn: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  stop_sequence: 'stop',
  refusal: 'content_filter',
};

test('the fixture lists are the ones the issue names', () => {
  expect(openaiFixtures.length).toBe(13);
  expect(anthropicFixtures.length).toBe(6);
});

describe('OpenAI provider → Anthropic client', () => {
  test.each(openaiFixtures)('%s', async (name) => {
    const sse = readFixture(name);
    const source = readOpenAISource(sse);
    const t = checkAnthropicWire(await translate(openaiChat, anthropicMessages, sse), { model: 'alias' });

    const expected: AnthropicBlock[] = [];
    if (source.reasoning) expected.push({ type: 'thinking', thinking: source.reasoning, signature: '' });
    if (source.text) expected.push({ type: 'text', text: source.text });
    if (source.refusal) expected.push({ type: 'text', text: source.refusal });
    for (const call of source.toolCalls) {
      expected.push({ type: 'tool_use', id: call.id, name: call.name, input: JSON.parse(call.arguments) });
    }
    expect(t.blocks).toEqual(expected);
    expect(t.startUsage).toEqual({ input_tokens: 0, output_tokens: 0 });

    if (source.error) {
      expect(t.error?.message).toBe(source.error.message);
      expect(t.stopReason).toBeUndefined();
      return;
    }
    const stop = source.refusal && source.finishReason === 'stop' ? 'refusal' : source.finishReason!;
    expect(t.stopReason).toBe(OPENAI_TO_ANTHROPIC_STOP[stop] ?? stop);
    expect(t.stopSequence).toBeNull();
    const cached = source.usage?.cached;
    expect(t.usage).toEqual({
      input_tokens: (source.usage?.prompt_tokens ?? 0) - (cached ?? 0),
      output_tokens: source.usage?.completion_tokens ?? 0,
      ...(cached !== undefined && { cache_read_input_tokens: cached }),
    });
  });

  test('parallel tool calls: two tool_use blocks, one after the other, inputs as recorded', async () => {
    const sse = readFixture('openai/chat-tool-calls-parallel.sse');
    const t = checkAnthropicWire(await translate(openaiChat, anthropicMessages, sse));
    expect(shape(t.names)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta*',
      'content_block_stop',
      'content_block_start',
      'content_block_delta*',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(t.blocks.map((block) => (block.type === 'tool_use' ? block.name : block.type))).toEqual([
      'GetWeatherArgs',
      'get_stock_price',
    ]);
    expect(t.blocks[0]).toMatchObject({ id: 'call_JMW1whyEaYG438VE1OIflxA2', input: { city: 'Edinburgh' } });
    expect(t.stopReason).toBe('tool_use');
  });

  test('tool calls whose argument fragments interleave still come out as whole blocks in order', async () => {
    const call = (index: number, args: string, head?: { id: string; name: string }) => ({
      tool_calls: [
        head
          ? { index, id: head.id, type: 'function', function: { name: head.name, arguments: args } }
          : { index, function: { arguments: args } },
      ],
    });
    const sse = openaiSse([
      chunk({ role: 'assistant', content: null }),
      chunk(call(0, '', { id: 'call_a', name: 'weather' })),
      chunk(call(1, '{"ci', { id: 'call_b', name: 'time' })),
      chunk(call(0, '{"city":')),
      chunk(call(1, 'ty":"Oslo"}')),
      chunk(call(0, '"Paris"}')),
      chunk({}, 'tool_calls'),
      chunk(null, null, {
        prompt_tokens: 20,
        completion_tokens: 9,
        total_tokens: 29,
        prompt_tokens_details: { cached_tokens: 16 },
      }),
    ]);
    const t = checkAnthropicWire(await translate(openaiChat, anthropicMessages, sse));
    expect(t.blocks).toEqual([
      { type: 'tool_use', id: 'call_a', name: 'weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_b', name: 'time', input: { city: 'Oslo' } },
    ]);
    // Anthropic's input_tokens leaves out the cached part that OpenAI's prompt_tokens includes.
    expect(t.usage).toEqual({ input_tokens: 4, output_tokens: 9, cache_read_input_tokens: 16 });
  });

  test('reasoning (DeepSeek reasoning_content) becomes a thinking block with an empty signature, then text', async () => {
    const sse = readFixture('openai-compatible/deepseek-reasoning-content.sse');
    const t = checkAnthropicWire(await translate(openaiChat, anthropicMessages, sse));
    expect(t.blocks.map((block) => block.type)).toEqual(['thinking', 'text']);
    expect(t.blocks[0]).toMatchObject({ signature: '' });
    expect(t.stopReason).toBe('end_turn');
  });

  test('reasoning (Groq `reasoning`), then a tool call: the thinking block stops before the tool_use starts', async () => {
    const sse = openaiSse([
      chunk({ role: 'assistant', content: '' }),
      chunk({ reasoning: 'Need the weather.' }),
      chunk({
        tool_calls: [
          { index: 0, id: 'call_w', type: 'function', function: { name: 'weather', arguments: '' } },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Oslo"}' } }] }),
      chunk({}, 'tool_calls', { prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 }),
    ]);
    const t = checkAnthropicWire(await translate(openaiChat, anthropicMessages, sse));
    expect(t.blocks).toEqual([
      { type: 'thinking', thinking: 'Need the weather.', signature: '' },
      { type: 'tool_use', id: 'call_w', name: 'weather', input: { city: 'Oslo' } },
    ]);
    expect(t.stopReason).toBe('tool_use');
    expect(t.usage).toEqual({ input_tokens: 7, output_tokens: 5 });
  });

  test('an error after HTTP 200 (Groq) is an Anthropic error event, and nothing follows it', async () => {
    const wire = await translate(
      openaiChat,
      anthropicMessages,
      readFixture('openai-compatible/groq-midstream-error-event.sse'),
    );
    const t = checkAnthropicWire(wire);
    expect(wire.at(-1)?.event).toBe('error');
    expect(shape(t.names)).toEqual(['message_start', 'content_block_start', 'content_block_delta*', 'error']);
    expect(t.error).toEqual({
      type: 'invalid_request_error',
      message: expect.stringContaining('Tool call validation failed'),
    });
  });

  test('an upstream that hangs up without [DONE] or a finish ends in an error event', async () => {
    const sse = openaiSse([chunk({ role: 'assistant', content: 'Hel' }), chunk({ content: 'lo' })], false);
    const t = checkAnthropicWire(await translate(openaiChat, anthropicMessages, sse));
    expect(t.blocks).toEqual([{ type: 'text', text: 'Hello' }]);
    expect(t.error?.type).toBe('api_error');
    expect(t.names).not.toContain('message_delta');
  });
});

describe('Anthropic provider → OpenAI client', () => {
  test.each(anthropicFixtures)('%s', async (name) => {
    const sse = readFixture(name);
    const source = readAnthropicSource(sse);
    const t = checkOpenAIWire(await translate(anthropicMessages, openaiChat, sse), {
      includeUsage: true,
      model: 'alias',
    });
    const of = <T extends AnthropicBlock['type']>(type: T) =>
      source.blocks.filter((block): block is Extract<AnthropicBlock, { type: T }> => block.type === type);

    expect(t.content).toBe(
      of('text')
        .map((block) => block.text)
        .join(''),
    );
    expect(t.reasoning).toBe(
      of('thinking')
        .map((block) => block.thinking)
        .join(''),
    );
    expect(t.refusal).toBe('');
    expect(t.toolCalls.map((call) => ({ ...call, arguments: JSON.parse(call.arguments) }))).toEqual(
      of('tool_use').map((block, index) => ({
        index,
        id: block.id,
        name: block.name,
        arguments: block.input,
      })),
    );
    expect(t.finishReason).toBe(ANTHROPIC_TO_OPENAI_FINISH[source.stopReason!]);
    const u = source.usage;
    const prompt = u.input_tokens! + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0);
    expect(t.usage).toEqual({
      prompt_tokens: prompt,
      completion_tokens: u.output_tokens,
      total_tokens: prompt + u.output_tokens!,
      ...(u.cache_read_input_tokens !== undefined && {
        prompt_tokens_details: { cached_tokens: u.cache_read_input_tokens },
      }),
    });
  });

  test('parallel tool use: text, then tool calls 0 and 1 with id and name once, then finish, usage, [DONE]', async () => {
    const sse = readFixture('anthropic/tool-use-parallel.sse');
    const t = checkOpenAIWire(await translate(anthropicMessages, openaiChat, sse), { includeUsage: true });
    expect(shape(t.kinds)).toEqual([
      'role',
      'content*',
      'tool_call',
      'arguments*',
      'tool_call',
      'arguments*',
      'finish',
      'usage',
      'done',
    ]);
    expect(t.toolCalls.map((call) => [call.index, call.name])).toEqual([
      [0, expect.any(String)],
      [1, expect.any(String)],
    ]);
    expect(t.finishReason).toBe('tool_calls');
  });

  test('a tool_use without input gets "{}" as arguments (valid JSON), and text after it follows the call', async () => {
    const sse = anthropicSse([
      {
        type: 'message_start',
        message: {
          id: 'msg_1',
          model: 'claude',
          usage: {
            input_tokens: 9,
            cache_read_input_tokens: 100,
            cache_creation_input_tokens: 5,
            output_tokens: 1,
          },
        },
      },
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_n', name: 'now', input: {} },
      },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Asked the clock.' } },
      { type: 'content_block_stop', index: 1 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: { output_tokens: 6 },
      },
      { type: 'message_stop' },
    ]);
    const t = checkOpenAIWire(await translate(anthropicMessages, openaiChat, sse), { includeUsage: true });
    expect(t.toolCalls).toEqual([{ index: 0, id: 'toolu_n', name: 'now', arguments: '{}' }]);
    expect(shape(t.kinds)).toEqual(['role', 'tool_call', 'arguments', 'content', 'finish', 'usage', 'done']);
    expect(t.content).toBe('Asked the clock.');
    // prompt_tokens counts every input token: 9 + 100 read from the cache + 5 written to it.
    expect(t.usage).toEqual({
      prompt_tokens: 114,
      completion_tokens: 6,
      total_tokens: 120,
      prompt_tokens_details: { cached_tokens: 100 },
    });
  });

  test('redacted thinking has no OpenAI form: the client gets only the text', async () => {
    const sse = readFixture('anthropic/redacted-thinking.sse');
    expect(readAnthropicSource(sse).blocks.map((block) => block.type)).toEqual([
      'redacted_thinking',
      'redacted_thinking',
      'text',
    ]);
    const t = checkOpenAIWire(await translate(anthropicMessages, openaiChat, sse), { includeUsage: true });
    expect(shape(t.kinds)).toEqual(['role', 'content*', 'finish', 'usage', 'done']);
  });

  test('without include_usage there is no usage chunk: finish, then [DONE]', async () => {
    const sse = readFixture('anthropic/text.sse');
    const events = await decode(anthropicMessages, sse);
    const wire = await collect(streamOf(events).pipeThrough(openaiChat.encodeStream({ model: 'alias' })));
    const t = checkOpenAIWire(wire, { includeUsage: false });
    expect(shape(t.kinds)).toEqual(['role', 'content*', 'finish', 'done']);
    expect(t.usage).toBeUndefined();
    // The same events with include_usage give the usage chunk (the check above can fail).
    expect(shape(checkOpenAIWire(await encode(openaiChat, events), { includeUsage: true }).kinds)).toContain(
      'usage',
    );
  });

  test('overloaded_error mid-stream becomes an OpenAI error chunk; no [DONE] follows', async () => {
    const head = readFixture('anthropic/text.sse').split('event: content_block_stop')[0]!;
    const sse = `${head}event: error\ndata: {"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"}}\n\n`;
    const wire = await translate(anthropicMessages, openaiChat, sse);
    const t = checkOpenAIWire(wire, { includeUsage: true });
    expect(shape(t.kinds)).toEqual(['role', 'content*', 'error']);
    expect(t.error).toEqual({
      message: 'Overloaded',
      type: 'server_error',
      param: null,
      code: 'overloaded_error',
    });
    expect(wire.some((event) => event.data === '[DONE]')).toBe(false);
  });

  test('an upstream that hangs up before message_stop ends in an error chunk', async () => {
    const head = readFixture('anthropic/tool-use.sse').split('event: message_delta')[0]!;
    const t = checkOpenAIWire(await translate(anthropicMessages, openaiChat, head), { includeUsage: true });
    expect(t.kinds.at(-1)).toBe('error');
    expect(t.error?.type).toBe('server_error');
    expect(t.finishReason).toBeUndefined();
  });
});

describe('same dialect: OpenAI provider → OpenAI client', () => {
  test.each(openaiFixtures)('%s', async (name) => {
    const sse = readFixture(name);
    const source = readOpenAISource(sse);
    const t = checkOpenAIWire(await translate(openaiChat, openaiChat, sse), {
      includeUsage: true,
      model: 'alias',
    });
    expect(t.content).toBe(source.text);
    expect(t.refusal).toBe(source.refusal);
    expect(t.reasoning).toBe(source.reasoning);
    expect(t.toolCalls).toEqual(source.toolCalls.map((call, index) => ({ index, ...call })));
    if (source.error) {
      expect(t.error).toMatchObject({ message: source.error.message, code: source.error.code });
      expect(t.kinds.at(-1)).toBe('error');
      return;
    }
    expect(t.finishReason).toBe(source.finishReason);
    expect(t.usage).toEqual({
      prompt_tokens: source.usage?.prompt_tokens ?? 0,
      completion_tokens: source.usage?.completion_tokens ?? 0,
      total_tokens: (source.usage?.prompt_tokens ?? 0) + (source.usage?.completion_tokens ?? 0),
      ...(source.usage?.cached !== undefined && {
        prompt_tokens_details: { cached_tokens: source.usage.cached },
      }),
      ...(t.usage?.completion_tokens_details && {
        completion_tokens_details: t.usage.completion_tokens_details,
      }),
    });
  });
});

describe('same dialect: Anthropic provider → Anthropic client', () => {
  test.each(anthropicFixtures)('%s', async (name) => {
    const sse = readFixture(name);
    const source = readAnthropicSource(sse);
    const t = checkAnthropicWire(await translate(anthropicMessages, anthropicMessages, sse), {
      model: 'alias',
    });
    expect(t.blocks).toEqual(source.blocks);
    expect(t.stopReason).toBe(source.stopReason);
    expect(t.stopSequence).toBe(source.stopSequence ?? null);
    expect(t.usage).toEqual(source.usage);
    expect(t.startUsage.input_tokens).toBe(source.usage.input_tokens);
  });

  test('an overloaded_error mid-stream is passed on as the same error event, and ends the stream', async () => {
    const head = readFixture('anthropic/thinking.sse').split('event: content_block_stop')[0]!;
    const sse = `${head}event: error\ndata: {"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"}}\n\n`;
    const t = checkAnthropicWire(await translate(anthropicMessages, anthropicMessages, sse));
    expect(shape(t.names)).toEqual(['message_start', 'content_block_start', 'content_block_delta*', 'error']);
    expect(t.error).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
  });

  test('blocks canonical cannot carry (server tools) leave no gap: client indexes stay dense from 0', async () => {
    const sse = anthropicSse([
      {
        type: 'message_start',
        message: { id: 'msg_1', model: 'claude', usage: { input_tokens: 9, output_tokens: 1 } },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Searching.' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
      },
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"query":"x"}' },
      },
      { type: 'content_block_stop', index: 1 },
      {
        type: 'content_block_start',
        index: 2,
        content_block: { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
      },
      { type: 'content_block_stop', index: 2 },
      { type: 'content_block_start', index: 3, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 3, delta: { type: 'text_delta', text: 'Found it.' } },
      { type: 'content_block_stop', index: 3 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: 20 },
      },
      { type: 'message_stop' },
    ]);
    // The validator rejects an index that is not the next one, so passing it proves 0, 1.
    const t = checkAnthropicWire(await translate(anthropicMessages, anthropicMessages, sse));
    expect(t.blocks).toEqual([
      { type: 'text', text: 'Searching.' },
      { type: 'text', text: 'Found it.' },
    ]);
  });

  test('a synthetic stream with a stop sequence keeps stop_reason and the sequence', async () => {
    const sse = anthropicSse([
      {
        type: 'message_start',
        message: { id: 'msg_1', model: 'claude', usage: { input_tokens: 5, output_tokens: 1 } },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'one two' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'stop_sequence', stop_sequence: 'THREE' },
        usage: { output_tokens: 3 },
      },
      { type: 'message_stop' },
    ]);
    const t = checkAnthropicWire(await translate(anthropicMessages, anthropicMessages, sse));
    expect([t.stopReason, t.stopSequence]).toEqual(['stop_sequence', 'THREE']);
    expect(t.usage).toEqual({ input_tokens: 5, output_tokens: 3 });
  });
});
