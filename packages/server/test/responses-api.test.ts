/**
 * POST /v1/responses: the OpenAI SDK's Responses helpers against TokenPak, for every kind of alias (a Chat
 * Completions upstream, an Anthropic upstream, a Responses upstream through `api: responses`, the mock), and
 * the other clients reaching a Responses upstream. Upstream answers are recorded streams.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createGateway, type Gateway } from '../src/index.ts';
import { serve } from '../src/node.ts';
import { configFrom } from './helpers/config.ts';
import { type RecordingUpstream, recording, startRecordingUpstream } from './helpers/recording-upstream.ts';

/** The text a recorded stream carries, read off the recording itself. */
function recordedText(path: string): string {
  let text = '';
  for (const line of recording(path).split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const data = JSON.parse(line.slice(6));
    if (data.type === 'response.output_text.delta') text += data.delta;
    if (data.type === 'content_block_delta' && data.delta.type === 'text_delta') text += data.delta.text;
    text += data.choices?.[0]?.delta?.content ?? '';
  }
  return text;
}

let upstream: RecordingUpstream;
let gateway: Gateway;
let server: { url: string; close(grace?: number): Promise<void> };
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  const config = configFrom(
    `
providers:
  openai: { type: openai, api_key: sk-test, base_url: ${upstream.url}/v1 }
  responses: { type: openai, api: responses, api_key: sk-test, base_url: ${upstream.url}/v1 }
  anthropic: { type: anthropic, api_key: sk-ant-test, base_url: ${upstream.url} }
  local: { type: mock }
models:
  chat-text: { provider: openai, model: "openai/chat-text-include-usage.sse" }
  chat-tools: { provider: openai, model: "openai/chat-tool-calls-parallel.sse" }
  an-text: { provider: anthropic, model: "anthropic/text.sse" }
  an-tools: { provider: anthropic, model: "anthropic/tool-use-parallel.sse" }
  resp-text: { provider: responses, model: "openai/responses-text.sse" }
  resp-fn: { provider: responses, model: "openai/responses-function-call.sse" }
  resp-reasoning: { provider: responses, model: "openai/responses-reasoning-function-call.sse" }
  resp-quota: { provider: responses, model: "openai/responses-error-insufficient-quota.sse" }
  resp-coalesced: { provider: responses, model: "openai/responses-text.sse", buffer_tokens: 3 }
  mock: { provider: local }
`,
  );
  gateway = await createGateway(config, { logger: () => {} });
  server = await serve(gateway, { host: '127.0.0.1', port: 0 });
  openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
});
afterAll(async () => {
  await server.close(0);
  await gateway.close(0);
  await upstream.close();
});

const outputText = (response: OpenAI.Responses.Response) =>
  response.output
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('');
const functionCalls = (response: OpenAI.Responses.Response) =>
  response.output.flatMap((item) =>
    item.type === 'function_call' ? [{ name: item.name, args: JSON.parse(item.arguments) }] : [],
  );

describe('a Responses client, every kind of upstream', () => {
  test.each([
    ['chat-text', 'openai/chat-text-include-usage.sse'],
    ['an-text', 'anthropic/text.sse'],
    ['resp-text', 'openai/responses-text.sse'],
    ['resp-coalesced', 'openai/responses-text.sse'],
  ])(
    '%s: responses.stream().finalResponse() and create({stream:false}) carry the text and usage',
    async (model, path) => {
      const expected = recordedText(path);
      expect(expected.length).toBeGreaterThan(0);
      const stream = openai.responses.stream({ model, input: 'Hi' });
      let deltas = '';
      stream.on('response.output_text.delta', (event) => {
        deltas += event.delta;
      });
      const final = await stream.finalResponse();
      expect(final.status).toBe('completed');
      expect(final.model).toBe(model);
      expect(outputText(final)).toBe(expected);
      expect(deltas).toBe(expected);
      expect(final.usage?.output_tokens).toBeGreaterThan(0);
      expect(final.usage?.input_tokens).toBeGreaterThan(0);

      const whole = await openai.responses.create({ model, input: 'Hi', stream: false });
      expect(whole.status).toBe('completed');
      expect(outputText(whole)).toBe(expected);
      expect(whole.usage?.total_tokens).toBe(
        (whole.usage?.input_tokens ?? 0) + (whole.usage?.output_tokens ?? 0),
      );
    },
  );

  test('the mock: a streamed answer', async () => {
    const final = await openai.responses.stream({ model: 'mock', input: 'count to 3' }).finalResponse();
    expect(outputText(final)).toBe('1, 2, 3.');
  });

  test.each([
    ['chat-tools', ['GetWeatherArgs', 'get_stock_price']],
    ['an-tools', undefined],
    ['resp-fn', ['get_capital']],
    ['resp-reasoning', undefined],
  ])('%s: function calls arrive whole in output_item.done, with their arguments', async (model, names) => {
    const done: string[] = [];
    const stream = openai.responses.stream({
      model,
      input: 'Use the tools',
      tools: [{ type: 'function', name: 'f', parameters: { type: 'object' }, strict: false }],
    });
    stream.on('response.output_item.done', (event) => {
      if (event.item.type === 'function_call') done.push(event.item.name);
    });
    const final = await stream.finalResponse();
    const calls = functionCalls(final);
    expect(calls.length).toBeGreaterThan(0);
    expect(done).toEqual(calls.map((call) => call.name));
    if (names) expect(calls.map((call) => call.name)).toEqual(names);
    for (const call of calls) expect(typeof call.args).toBe('object');
  });

  test('an in-band insufficient_quota from a Responses upstream reaches the SDK as that error code', async () => {
    const stream = openai.responses.stream({ model: 'resp-quota', input: 'Hi' });
    const failure = await stream.finalResponse().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(JSON.stringify(failure)).toContain('insufficient_quota');
  });

  test('an unknown alias is a 404 in the Responses error shape', async () => {
    const failure = await openai.responses.create({ model: 'nope', input: 'Hi' }).catch((error) => error);
    expect(failure).toBeInstanceOf(OpenAI.NotFoundError);
    expect(failure.error).toMatchObject({
      type: expect.any(String),
      message: expect.stringContaining('nope'),
    });
  });
});

describe('the response object repeats the request, whatever the upstream', () => {
  const request = {
    instructions: 'Be brief.',
    temperature: 0.3,
    top_p: 0.9,
    max_output_tokens: 64,
    metadata: { ticket: 'T-1' },
    tools: [
      {
        type: 'function' as const,
        name: 'lookup',
        description: 'Looks a thing up',
        parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
        strict: false,
      },
    ],
    tool_choice: 'auto' as const,
    input: 'Hi',
  };
  const echoed = {
    instructions: 'Be brief.',
    temperature: 0.3,
    top_p: 0.9,
    max_output_tokens: 64,
    metadata: { ticket: 'T-1' },
    tools: request.tools,
    tool_choice: 'auto',
    store: true,
  };

  test.each(['an-text', 'chat-text', 'mock'])('%s: streamed and not', async (model) => {
    const whole = await openai.responses.create({ ...request, model });
    expect(whole).toMatchObject(echoed);
    const streamed = await openai.responses.stream({ ...request, model }).finalResponse();
    expect(streamed).toMatchObject(echoed);
    const next = await openai.responses.create({
      model,
      input: 'Again',
      previous_response_id: whole.id,
      store: false,
    });
    expect(next).toMatchObject({
      previous_response_id: whole.id,
      store: false,
      instructions: null,
      tools: [],
    });
  });
});

describe('a Responses upstream (api: responses), every client', () => {
  test('Chat Completions client: streamed text and usage', async () => {
    const stream = await openai.chat.completions.create({
      model: 'resp-text',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Hi' }],
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(recordedText('openai/responses-text.sse'));
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    const sent = upstream.requests.at(-1)!;
    expect(sent.path).toBe('/v1/responses');
    expect(sent.body).toMatchObject({ model: 'openai/responses-text.sse', stream: true });
    expect(sent.body.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
    ]);
  });

  test('Anthropic client: a function call becomes a tool_use block, stop_reason tool_use', async () => {
    const message = await anthropic.messages
      .stream({
        model: 'resp-fn',
        max_tokens: 256,
        messages: [{ role: 'user', content: 'Capital of France?' }],
        tools: [{ name: 'get_capital', input_schema: { type: 'object' } }],
      })
      .finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content.find((block) => block.type === 'tool_use')).toMatchObject({ name: 'get_capital' });
  });

  test('Responses client, same dialect: the body reaches the upstream as sent, model aside', async () => {
    const body = {
      model: 'resp-text',
      input: [
        { role: 'developer', content: 'Be brief.' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
        { type: 'made_up_item', payload: { keep: ['me'] } },
      ],
      store: false,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'abc',
      client_metadata: { session: 's1' },
      reasoning: { summary: 'auto' },
      tools: [
        { type: 'web_search' },
        { type: 'namespace', name: 'mcp', tools: [{ type: 'function', name: 'x', parameters: {} }] },
      ],
      made_up_field: { nested: [1, 2, 3] },
      stream: true,
    };
    const response = await fetch(`${server.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    await response.text();
    expect(upstream.requests.at(-1)!.body).toEqual({ ...body, model: 'openai/responses-text.sse' });
  });
});

describe('conversation state for upstreams that keep none', () => {
  test('previous_response_id continues the conversation; GET /v1/responses/{id} and input_items find it', async () => {
    const first = await openai.responses.create({
      model: 'chat-text',
      input: 'First question',
      stream: false,
    });
    expect(first.id).toMatch(/^resp_/);
    const firstText = outputText(first);

    const second = await openai.responses.create({
      model: 'chat-text',
      input: 'Second question',
      previous_response_id: first.id,
      stream: false,
    });
    expect(second.status).toBe('completed');
    // The upstream (Chat Completions) got the whole conversation, in order.
    const sent = upstream.requests.at(-1)!.body;
    expect(sent.messages).toEqual([
      { role: 'user', content: 'First question' },
      { role: 'assistant', content: firstText },
      { role: 'user', content: 'Second question' },
    ]);
    expect(sent.previous_response_id).toBeUndefined();

    const again = await openai.responses.retrieve(first.id);
    expect(again.id).toBe(first.id);
    expect(outputText(again)).toBe(firstText);
    const items = await openai.responses.inputItems.list(second.id);
    expect(JSON.stringify(items.data)).toContain('Second question');
  });

  test('a streamed response is stored too, and its stream replays with starting_after', async () => {
    const final = await openai.responses.stream({ model: 'an-text', input: 'Hi' }).finalResponse();
    await expect.poll(async () => (await fetch(`${server.url}/v1/responses/${final.id}`)).status).toBe(200);
    const replay = await fetch(`${server.url}/v1/responses/${final.id}?stream=true&starting_after=2`);
    expect(replay.status).toBe(200);
    const events = (await replay.text())
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)));
    expect(events[0].sequence_number).toBe(3);
    expect(events.at(-1).type).toBe('response.completed');
  });

  test('an unknown previous_response_id is the 404 OpenAI gives; store: false keeps nothing', async () => {
    const failure = await openai.responses
      .create({ model: 'chat-text', input: 'Hi', previous_response_id: 'resp_nope' })
      .catch((error) => error);
    expect(failure).toBeInstanceOf(OpenAI.NotFoundError);
    expect(failure.error).toMatchObject({
      code: 'previous_response_not_found',
      param: 'previous_response_id',
    });

    const unstored = await openai.responses.create({ model: 'chat-text', input: 'Hi', store: false });
    const lookup = await openai.responses.retrieve(unstored.id).catch((error) => error);
    expect(lookup).toBeInstanceOf(OpenAI.NotFoundError);
  });

  test("toward a Responses upstream, previous_response_id is the upstream's business: forwarded as sent", async () => {
    await openai.responses.create({
      model: 'resp-text',
      input: 'Hi',
      previous_response_id: 'resp_upstream_1',
    });
    expect(upstream.requests.at(-1)!.body.previous_response_id).toBe('resp_upstream_1');
  });
});
