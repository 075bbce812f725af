/**
 * `type: bedrock` (@tokenpak/bedrock: Converse / ConverseStream, SigV4, AWS event-stream frames) behind the
 * OpenAI Chat, Anthropic Messages and OpenAI Responses clients, over real HTTP: a streamed text answer and a
 * streamed tool-call round trip each. The upstream is @tokenpak/bedrock's fake Bedrock, which checks every
 * request's SigV4 signature as AWS does and answers with that package's documented-format fixtures, encoded
 * with AWS's event-stream codec and cut at random points. And an in-band throttlingException before any
 * content is retried like a 429.
 */
import Anthropic from '@anthropic-ai/sdk';
import { OPTION_NAMES } from '@tokenpak/bedrock';
import { BEDROCK_OPTIONS } from '@tokenpak/config';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type FakeBedrock, startFakeBedrock } from '../../bedrock/test/helpers/fake-bedrock.ts';
import { type StreamFixture, streamFixture } from '../../bedrock/test/helpers/fixtures.ts';
import { createGateway, type Gateway } from '../src/index.ts';
import { serve } from '../src/node.ts';
import { configFrom } from './helpers/config.ts';

const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const MODEL = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
const TEXT = streamFixture('text');
const TOOLS = streamFixture('tool-use-parallel');
const THROTTLED = streamFixture('throttling-before-content');
const RESULT = 'Paris 18°C; Tōkyō 24°C';

/** What a fixture streams, read off its frames. */
const textOf = (fixture: StreamFixture) =>
  fixture.frames.map((f) => ((f.payload as any).delta?.text as string | undefined) ?? '').join('');
const callsOf = (fixture: StreamFixture) => {
  const calls = new Map<number, { id: string; name: string; input: string }>();
  for (const { payload } of fixture.frames as Array<{ payload: any }>) {
    const start = payload.start?.toolUse;
    if (start) calls.set(payload.contentBlockIndex, { id: start.toolUseId, name: start.name, input: '' });
    const fragment = payload.delta?.toolUse?.input;
    if (fragment !== undefined) calls.get(payload.contentBlockIndex)!.input += fragment;
  }
  return [...calls.values()].map((c) => ({ id: c.id, name: c.name, input: JSON.parse(c.input) }));
};
const WEATHER = {
  name: 'get_weather',
  description: 'Current weather in a city.',
  parameters: {
    type: 'object' as const,
    properties: { city: { type: 'string' }, units: { type: 'string' } },
  },
};

let upstream: FakeBedrock;
let gateway: Gateway;
let server: { url: string; close(grace?: number): Promise<void> };
/** The Converse bodies the upstream received, in order. */
const bodies: any[] = [];

beforeAll(async () => {
  upstream = await startFakeBedrock({ keys: { [ACCESS_KEY]: { secretAccessKey: SECRET } } });
  let seed = 0;
  let retried = 0;
  upstream.answer((request) => {
    // The retrying alias: throttled in-band at its first attempt, answered at the next.
    if (request.url.startsWith('/model/retry-model/'))
      return { stream: retried++ % 2 === 0 ? THROTTLED : TEXT };
    const body = request.json as any;
    bodies.push(body);
    // Tools offered and no tool result yet: the calls; else (no tools, or the tools answered) the text.
    const answered = JSON.stringify(body.messages).includes('"toolResult"');
    const fixture = body.toolConfig && !answered ? TOOLS : TEXT;
    return { stream: fixture, mode: { split: { seed: ++seed, maxChunk: 37 }, lineEndings: 'as-recorded' } };
  });
  gateway = await createGateway(
    configFrom(
      `
providers:
  aws:
    type: bedrock
    region: us-east-1
    base_url: "${upstream.url}"
    access_key_id: \${AWS_ACCESS_KEY_ID}
    secret_access_key: \${AWS_SECRET_ACCESS_KEY}
    max_retries: 0
  aws-retrying:
    type: bedrock
    region: us-east-1
    base_url: "${upstream.url}"
    access_key_id: \${AWS_ACCESS_KEY_ID}
    secret_access_key: \${AWS_SECRET_ACCESS_KEY}
    max_retries: 1
    retry_base_ms: 1
models:
  claude: { provider: aws, model: ${MODEL} }
  claude-retrying: { provider: aws-retrying, model: retry-model }
`,
      { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: SECRET },
    ),
    { logger: () => {} },
  );
  server = await serve(gateway, { host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server.close(0);
  await gateway.close(0);
  await upstream.close();
});

/** The tool round trip as the upstream saw it: every call came back as toolUse, each answered by a toolResult. */
function expectRoundTrip(calls: Array<{ id: string }>) {
  const second = bodies.at(-1);
  const assistant = second.messages.find((m: any) => m.role === 'assistant');
  const user = second.messages.at(-1);
  expect(assistant.content.flatMap((b: any) => (b.toolUse ? [b.toolUse] : []))).toEqual(
    callsOf(TOOLS).map(({ id, name, input }) => ({ toolUseId: id, name, input })),
  );
  expect(user.content.flatMap((b: any) => (b.toolResult ? [b.toolResult] : []))).toEqual(
    calls.map((c) => ({ toolUseId: c.id, content: [{ text: RESULT }] })),
  );
  expect(second.toolConfig.tools[0].toolSpec.name).toBe('get_weather');
  expect(upstream.verdicts.every((v) => v.ok && v.how === 'sigv4')).toBe(true);
}

test('the config and the package agree on the options of type bedrock', () => {
  expect([...BEDROCK_OPTIONS]).toEqual([...OPTION_NAMES]);
});

test('OpenAI Chat Completions client: streamed text, and a streamed parallel tool-call round trip', async () => {
  const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  const stream = await openai.chat.completions.create({
    model: 'claude',
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'Capital of France?' }],
  });
  let text = '';
  let usage: OpenAI.CompletionUsage | undefined;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  expect(text).toBe(textOf(TEXT));
  expect(usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 21 });

  const tools = [{ type: 'function' as const, function: WEATHER }];
  const ask = { role: 'user' as const, content: 'Weather in Paris and Tokyo?' };
  const first = await openai.chat.completions
    .stream({ model: 'claude', tools, messages: [ask] })
    .finalChatCompletion();
  const choice = first.choices[0]!;
  expect(choice.finish_reason).toBe('tool_calls');
  const calls = (choice.message.tool_calls ?? []).flatMap((c) => (c.type === 'function' ? [c] : []));
  expect(
    calls.map((c) => ({ id: c.id, name: c.function.name, input: JSON.parse(c.function.arguments) })),
  ).toEqual(callsOf(TOOLS));

  const second = await openai.chat.completions.create({
    model: 'claude',
    stream: true,
    tools,
    messages: [
      ask,
      { role: 'assistant', content: choice.message.content, tool_calls: choice.message.tool_calls },
      ...calls.map((c) => ({ role: 'tool' as const, tool_call_id: c.id, content: RESULT })),
    ],
  });
  let answer = '';
  for await (const chunk of second) answer += chunk.choices[0]?.delta?.content ?? '';
  expect(answer).toBe(textOf(TEXT));
  expectRoundTrip(calls);
});

test('Anthropic Messages client: streamed text, and a streamed parallel tool_use round trip', async () => {
  const anthropic = new Anthropic({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
  const message = await anthropic.messages
    .stream({ model: 'claude', max_tokens: 300, messages: [{ role: 'user', content: 'Capital of France?' }] })
    .finalMessage();
  expect(message.content).toEqual([{ type: 'text', text: textOf(TEXT) }]);
  expect(message.stop_reason).toBe('end_turn');
  expect(bodies.at(-1)?.inferenceConfig).toEqual({ maxTokens: 300 });

  const tools = [{ name: WEATHER.name, description: WEATHER.description, input_schema: WEATHER.parameters }];
  const ask = { role: 'user' as const, content: 'Weather in Paris and Tokyo?' };
  const first = await anthropic.messages
    .stream({ model: 'claude', max_tokens: 300, tools, messages: [ask] })
    .finalMessage();
  expect(first.stop_reason).toBe('tool_use');
  const uses = first.content.flatMap((b) => (b.type === 'tool_use' ? [b] : []));
  expect(uses.map((u) => ({ id: u.id, name: u.name, input: u.input }))).toEqual(callsOf(TOOLS));

  const second = await anthropic.messages
    .stream({
      model: 'claude',
      max_tokens: 300,
      tools,
      messages: [
        ask,
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: uses.map((u) => ({ type: 'tool_result' as const, tool_use_id: u.id, content: RESULT })),
        },
      ],
    })
    .finalMessage();
  expect(second.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('')).toBe(textOf(TEXT));
  expectRoundTrip(uses);
});

test('OpenAI Responses client: streamed text, and a streamed parallel function-call round trip', async () => {
  const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  const final = await openai.responses
    .stream({ model: 'claude', input: 'Capital of France?' })
    .finalResponse();
  const text = final.output
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('');
  expect(text).toBe(textOf(TEXT));
  expect(final.usage?.input_tokens).toBe(14);

  const tools = [{ type: 'function' as const, strict: false, ...WEATHER }];
  const ask = { role: 'user' as const, content: 'Weather in Paris and Tokyo?' };
  const first = await openai.responses
    .stream({ model: 'claude', tools, input: [ask], store: false })
    .finalResponse();
  const calls = first.output.flatMap((item) => (item.type === 'function_call' ? [item] : []));
  expect(calls.map((c) => ({ id: c.call_id, name: c.name, input: JSON.parse(c.arguments) }))).toEqual(
    callsOf(TOOLS),
  );

  const second = openai.responses.stream({
    model: 'claude',
    tools,
    store: false,
    input: [
      ask,
      ...calls.map(({ call_id, name, arguments: args }) => ({
        type: 'function_call' as const,
        call_id,
        name,
        arguments: args,
      })),
      ...calls.map((c) => ({ type: 'function_call_output' as const, call_id: c.call_id, output: RESULT })),
    ],
  });
  let answer = '';
  for await (const event of second) if (event.type === 'response.output_text.delta') answer += event.delta;
  expect(answer).toBe(textOf(TEXT));
  expectRoundTrip(calls.map((c) => ({ id: c.call_id })));
});

test('a throttlingException as the first frame of the stream is retried like a 429: the client sees only the answer', async () => {
  const before = upstream.requests.length;
  const anthropic = new Anthropic({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
  const message = await anthropic.messages
    .stream({ model: 'claude-retrying', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] })
    .finalMessage();
  expect(message.content).toEqual([{ type: 'text', text: textOf(TEXT) }]);
  expect(upstream.requests.slice(before).map((r) => r.url)).toEqual([
    '/model/retry-model/converse-stream',
    '/model/retry-model/converse-stream',
  ]);
});
