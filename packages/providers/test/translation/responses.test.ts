/** Non-streamed answers: upstream body → parseResponse (provider dialect) → encodeResponse (client dialect). */

import { anthropicMessages } from '@tokenpak/anthropic';
import { openaiChat } from '@tokenpak/openai';
import { describe, expect, test } from 'vitest';

/** A gpt-4o answer that calls two tools at once, with cached prompt tokens. */
const openaiCompletion = {
  id: 'chatcmpl-ABfwAwrNePHUgBBezonVC6MX3zd63',
  object: 'chat.completion',
  created: 1727346178,
  model: 'gpt-4o-2024-08-06',
  system_fingerprint: 'fp_5050236cbd',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [
          {
            id: 'call_JMW1whyEaYG438VE1OIflxA2',
            type: 'function',
            function: {
              name: 'get_weather',
              arguments: '{"city": "Edinburgh", "country": "GB", "units": "c"}',
            },
          },
          {
            id: 'call_DNYTawLBoN8fj3KN6qU9N1Ou',
            type: 'function',
            function: { name: 'get_stock_price', arguments: '{"ticker": "AAPL", "exchange": "NASDAQ"}' },
          },
        ],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    },
  ],
  usage: {
    prompt_tokens: 149,
    completion_tokens: 60,
    total_tokens: 209,
    prompt_tokens_details: { cached_tokens: 128 },
    completion_tokens_details: { reasoning_tokens: 0 },
  },
};

/** A Claude answer with thinking, text and a tool call, with cache reads and writes. */
const anthropicMessage = {
  id: 'msg_01Aq9w938a90dw8q',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [
    {
      type: 'thinking',
      thinking: 'The user wants the weather; call the tool.',
      signature: 'EqQBCgIYAhIM1gbcDa9GJwZA',
    },
    { type: 'text', text: 'Let me check the weather in Paris.' },
    { type: 'tool_use', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', input: { city: 'Paris' } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: {
    input_tokens: 50,
    cache_read_input_tokens: 100,
    cache_creation_input_tokens: 10,
    output_tokens: 70,
  },
};

describe('OpenAI provider → Anthropic client', () => {
  test('parallel tool calls become tool_use blocks; stop_reason tool_use; usage without the cached part', () => {
    const out = anthropicMessages.encodeResponse(openaiChat.parseResponse(openaiCompletion), {
      model: 'alias',
      id: 'msg_proxy1',
    });
    expect(out).toEqual({
      id: 'msg_proxy1',
      type: 'message',
      role: 'assistant',
      model: 'alias',
      content: [
        {
          type: 'tool_use',
          id: 'call_JMW1whyEaYG438VE1OIflxA2',
          name: 'get_weather',
          input: { city: 'Edinburgh', country: 'GB', units: 'c' },
        },
        {
          type: 'tool_use',
          id: 'call_DNYTawLBoN8fj3KN6qU9N1Ou',
          name: 'get_stock_price',
          input: { ticker: 'AAPL', exchange: 'NASDAQ' },
        },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 21, output_tokens: 60, cache_read_input_tokens: 128 },
    });
  });

  test('text and a refusal: both text blocks, stop_reason refusal', () => {
    const body = {
      ...openaiCompletion,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: null, refusal: "I'm sorry, I can't help with that." },
          finish_reason: 'stop',
        },
      ],
    };
    const out = anthropicMessages.encodeResponse(openaiChat.parseResponse(body), { model: 'alias' });
    expect(out.content).toEqual([{ type: 'text', text: "I'm sorry, I can't help with that." }]);
    expect(out.stop_reason).toBe('refusal');
    expect(String(out.id)).toMatch(/^msg_/);
  });
});

describe('Anthropic provider → OpenAI client', () => {
  test('thinking, text and tool_use become reasoning_content, content and tool_calls', () => {
    const out = openaiChat.encodeResponse(anthropicMessages.parseResponse(anthropicMessage), {
      model: 'alias',
      id: 'chatcmpl-proxy1',
    });
    expect(out).toEqual({
      id: 'chatcmpl-proxy1',
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'alias',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Let me check the weather in Paris.',
            refusal: null,
            reasoning_content: 'The user wants the weather; call the tool.',
            tool_calls: [
              {
                id: 'toolu_01A09q90qw90lq917835lq9',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
            ],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      // prompt_tokens counts every input token: 50 + 100 read + 10 written.
      usage: {
        prompt_tokens: 160,
        completion_tokens: 70,
        total_tokens: 230,
        prompt_tokens_details: { cached_tokens: 100 },
      },
    });
  });

  test('redacted thinking is left out; a tool without input gets {} as arguments', () => {
    const body = {
      ...anthropicMessage,
      content: [
        { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' },
        { type: 'tool_use', id: 'toolu_2', name: 'now', input: {} },
      ],
    };
    const out = openaiChat.encodeResponse(anthropicMessages.parseResponse(body), { model: 'alias' });
    expect(out.choices).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: [{ id: 'toolu_2', type: 'function', function: { name: 'now', arguments: '{}' } }],
        },
        logprobs: null,
        finish_reason: 'tool_calls',
      },
    ]);
  });
});

describe('same dialect', () => {
  test('Anthropic → Anthropic keeps every block, the signature, the reason and the usage', () => {
    const out = anthropicMessages.encodeResponse(anthropicMessages.parseResponse(anthropicMessage), {
      model: 'alias',
      id: 'msg_proxy2',
    });
    expect(out).toEqual({ ...anthropicMessage, id: 'msg_proxy2', model: 'alias' });
  });

  test('OpenAI → OpenAI keeps the tool calls, their argument text byte for byte, and the usage', () => {
    const out = openaiChat.encodeResponse(openaiChat.parseResponse(openaiCompletion), {
      model: 'alias',
      id: 'chatcmpl-proxy2',
    });
    const { system_fingerprint: _fingerprint, ...rest } = openaiCompletion;
    expect(out).toEqual({
      ...rest,
      id: 'chatcmpl-proxy2',
      created: expect.any(Number),
      model: 'alias',
      usage: { ...openaiCompletion.usage },
    });
  });
});
