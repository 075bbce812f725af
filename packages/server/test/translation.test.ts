/**
 * The official SDKs as clients, all four pairs (client dialect × provider dialect), streamed and not, text and
 * tool calls, against recorded upstream streams; and the same-dialect fast path against the same fixtures.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { recipeConfig } from './helpers/config.ts';
import { type FakeUpstream, fixture, NON_STREAM_TEXT, startFakeUpstream } from './helpers/fake-upstream.ts';
import { fixtureText } from './helpers/sse.ts';
import { MODES, post, startTarget, type Target } from './helpers/targets.ts';

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());

const MODELS = `
  oa-text: { provider: openai, model: "fixture:openai/chat-text-include-usage.sse" }
  oa-tool: { provider: openai, model: "fixture:openai/chat-tool-call.sse" }
  an-text: { provider: anthropic, model: "fixture:anthropic/text.sse" }
  an-tool: { provider: anthropic, model: "fixture:anthropic/tool-use.sse" }
  "fixture:openai/chat-text-include-usage.sse": { provider: openai, buffer_tokens: 1 }
  "fixture:anthropic/text.sse": { provider: anthropic, buffer_tokens: 1 }
  "fixture:anthropic/tool-use.sse": { provider: anthropic, buffer_tokens: 1 }
`;

const WEATHER_TOOL_OPENAI = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const WEATHER_TOOL_ANTHROPIC = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

/** The tool call a recorded stream carries: name and parsed arguments. */
function fixtureToolCall(path: string): { name: string; args: unknown } {
  const raw = fixture(path);
  let name = '';
  let args = '';
  for (const line of raw.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const data = JSON.parse(line.slice(6));
    if (data.type === 'content_block_start' && data.content_block.type === 'tool_use')
      name = data.content_block.name;
    if (data.type === 'content_block_delta' && data.delta.type === 'input_json_delta')
      args += data.delta.partial_json;
    for (const call of data.choices?.[0]?.delta?.tool_calls ?? []) {
      if (call.function?.name) name = call.function.name;
      if (call.function?.arguments) args += call.function.arguments;
    }
  }
  return { name, args: JSON.parse(args) };
}

describe.each(MODES)('SDK clients (%s)', (mode) => {
  let target: Target;
  let openai: OpenAI;
  let anthropic: Anthropic;
  beforeAll(async () => {
    target = await startTarget(mode, recipeConfig(upstream.url, MODELS));
    openai = new OpenAI({
      baseURL: `${target.url}/v1`,
      apiKey: 'client-key',
      fetch: target.fetch,
      maxRetries: 0,
    });
    anthropic = new Anthropic({
      baseURL: target.url,
      apiKey: 'client-key',
      fetch: target.fetch,
      maxRetries: 0,
    });
  });
  afterAll(() => target.close());

  test.each(['oa-text', 'an-text'])('openai SDK streams text from %s, with usage', async (model) => {
    const stream = await openai.chat.completions.create({
      model,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
      expect(chunk.model).toBe(model);
    }
    const file = model === 'oa-text' ? 'openai/chat-text-include-usage.sse' : 'anthropic/text.sse';
    expect(text).toBe(fixtureText(fixture(file), model === 'oa-text' ? 'openai' : 'anthropic'));
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  test.each(['oa-tool', 'an-tool'])('openai SDK streams a tool call from %s', async (model) => {
    const stream = openai.chat.completions.stream({
      model,
      messages: [{ role: 'user', content: 'weather in Paris?' }],
      tools: [WEATHER_TOOL_OPENAI],
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]!.message.tool_calls![0]!;
    const expected = fixtureToolCall(
      model === 'oa-tool' ? 'openai/chat-tool-call.sse' : 'anthropic/tool-use.sse',
    );
    expect(call.type === 'function' && call.function.name).toBe(expected.name);
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual(expected.args);
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
  });

  test.each(['oa-text', 'an-text'])('anthropic SDK streams text from %s', async (model) => {
    const stream = anthropic.messages.stream({
      model,
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const final = await stream.finalMessage();
    const file = model === 'oa-text' ? 'openai/chat-text-include-usage.sse' : 'anthropic/text.sse';
    const text = final.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    expect(text).toBe(fixtureText(fixture(file), model === 'oa-text' ? 'openai' : 'anthropic'));
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    expect(final.model).toBe(model);
  });

  test.each(['oa-tool', 'an-tool'])('anthropic SDK streams a tool call from %s', async (model) => {
    const final = await anthropic.messages
      .stream({
        model,
        max_tokens: 100,
        messages: [{ role: 'user', content: 'weather in Paris?' }],
        tools: [WEATHER_TOOL_ANTHROPIC],
      })
      .finalMessage();
    const toolUse = final.content.find((b) => b.type === 'tool_use');
    const expected = fixtureToolCall(
      model === 'oa-tool' ? 'openai/chat-tool-call.sse' : 'anthropic/tool-use.sse',
    );
    expect(toolUse?.type === 'tool_use' && toolUse.name).toBe(expected.name);
    expect(toolUse?.type === 'tool_use' && toolUse.input).toEqual(expected.args);
    expect(final.stop_reason).toBe('tool_use');
  });

  test.each(['oa-text', 'an-text'])(
    'non-streamed answers from %s for both SDKs, tool calls too',
    async (model) => {
      const chat = await openai.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(chat.choices[0]!.message.content).toBe(NON_STREAM_TEXT);
      expect(chat.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 6 });
      const message = await anthropic.messages.create({
        model,
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(message.content[0]).toMatchObject({ type: 'text', text: NON_STREAM_TEXT });
      expect(message.usage).toMatchObject({ input_tokens: 11, output_tokens: 6 });
      const tool = await anthropic.messages.create({
        model,
        max_tokens: 10,
        messages: [{ role: 'user', content: 'weather?' }],
        tools: [WEATHER_TOOL_ANTHROPIC],
      });
      expect(tool.content.find((b) => b.type === 'tool_use')).toMatchObject({
        name: 'get_weather',
        input: { city: 'Paris' },
      });
      const toolChat = await openai.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'weather?' }],
        tools: [WEATHER_TOOL_OPENAI],
      });
      const call = toolChat.choices[0]!.message.tool_calls![0]!;
      expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
    },
  );

  test.each([
    ['/v1/messages', 'fixture:anthropic/text.sse'],
    ['/v1/messages', 'fixture:anthropic/tool-use.sse'],
    ['/v1/chat/completions', 'fixture:openai/chat-text-include-usage.sse'],
  ])(
    'same dialect, nothing to change (%s, %s): the upstream bytes are forwarded untouched',
    async (path, model) => {
      const res = await post(target, path, {
        model,
        stream: true,
        max_tokens: 10,
        stream_options: path === '/v1/chat/completions' ? { include_usage: true } : undefined,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(fixture(model.slice('fixture:'.length)));
      const line = target.logs.at(-1)!;
      expect(line.fast_path).toBe(true);
      expect(line.tokens_out).toBeGreaterThan(0);
      expect(line.ttft_ms).toBeDefined();
    },
  );

  test('fast path, OpenAI client that did not ask for usage: no usage-only chunk, every chunk has a choice', async () => {
    const model = 'fixture:openai/chat-text-include-usage.sse';
    const res = await post(target, '/v1/chat/completions', {
      model,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const body = await res.text();
    expect(target.logs.at(-1)!.fast_path).toBe(true);
    const chunks = body
      .split('\n\n')
      .filter((event) => event.startsWith('data: {'))
      .map((event) => JSON.parse(event.slice('data: '.length)));
    const recorded = fixture(model.slice('fixture:'.length));
    expect(recorded).toContain('"choices":[]');
    expect(chunks.length).toBe(recorded.split('\n\n').filter((e) => e.startsWith('data: {')).length - 1);
    for (const chunk of chunks) expect(chunk.choices.length).toBeGreaterThan(0);
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    // The proxy still learned the usage it asked for, for its log and metrics.
    expect(target.logs.at(-1)!.tokens_out).toBeGreaterThan(0);

    // What broke before: client code that reads choices[0] of every chunk.
    let text = '';
    const stream = await openai.chat.completions.create({
      model,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    for await (const chunk of stream) text += chunk.choices[0]!.delta.content ?? '';
    expect(text).toBe(fixtureText(recorded, 'openai'));
  });

  test('the fast path and the translated path give the SDK the same answer', async () => {
    const direct = await anthropic.messages
      .stream({
        model: 'fixture:anthropic/tool-use.sse',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      })
      .finalMessage();
    expect(target.logs.at(-1)!.fast_path).toBe(true);
    const translated = await anthropic.messages
      .stream({ model: 'an-tool', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage();
    expect(target.logs.at(-1)!.fast_path).toBe(false);
    expect(translated.content).toEqual(direct.content);
    expect(translated.stop_reason).toBe(direct.stop_reason);
  });
});
