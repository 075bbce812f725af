/**
 * Every client dialect × every provider type, over real HTTP with the official SDKs: a streamed text answer,
 * a non-streamed one (which goes upstream non-streamed), and a streamed tool-call round trip (the tool call reaches the client with its name and arguments, the
 * client's tool result reaches the upstream, and the answer after it reaches the client). The upstreams are
 * the providers' recordings replayed by one fake server (helpers/matrix-upstream.ts); the mock is TokenPak's
 * own. `MATRIX.md` in this folder is written from the results of this file.
 */
import { writeFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createGateway, type Gateway } from '../src/index.ts';
import { serve } from '../src/node.ts';
import { configFrom } from './helpers/config.ts';
import {
  type MatrixUpstream,
  startMatrixUpstream,
  TOOL_RESULT_MARKER,
  WIRES,
  type WireExpectation,
  type WireName,
} from './helpers/matrix-upstream.ts';

const MOCK_TEXT = 'The mock answers after the tool.';
const MOCK_TOOL = { name: 'lookup', args: { query: 'capital of France' } };

/** Provider type → the alias that reaches it, the wire its upstream speaks (none for the mock). */
const PROVIDERS: Record<string, { alias: string; wire?: WireName }> = {
  openai: { alias: 'via-openai', wire: 'chat' },
  'openai (api: responses)': { alias: 'via-responses', wire: 'responses' },
  anthropic: { alias: 'via-anthropic', wire: 'messages' },
  'openai-compatible': { alias: 'via-compatible', wire: 'chat' },
  azure: { alias: 'via-azure', wire: 'chat' },
  gemini: { alias: 'via-gemini', wire: 'gemini' },
  ollama: { alias: 'via-ollama', wire: 'ollama' },
  bedrock: { alias: 'via-bedrock', wire: 'bedrock' },
  mock: { alias: 'via-mock' },
};

const expectationOf = (provider: string): WireExpectation => {
  const wire = PROVIDERS[provider]!.wire;
  return wire ? WIRES[wire].expect : { text: MOCK_TEXT, tool: MOCK_TOOL };
};

const TOOL = {
  name: 'lookup',
  description: 'Looks a fact up.',
  parameters: { type: 'object' as const, properties: { query: { type: 'string' } } },
};

interface ToolTurn {
  name: string;
  args: unknown;
}

/** A client dialect: one streamed text request, one non-streamed, and one streamed tool-call round trip. */
interface ClientDriver {
  text(base: string, model: string): Promise<string>;
  complete(base: string, model: string): Promise<string>;
  /** Asks with a tool offered, answers the tool call with `TOOL_RESULT_MARKER`; the call and the last answer. */
  toolRoundTrip(base: string, model: string): Promise<{ call: ToolTurn; text: string }>;
}

const chatClient: ClientDriver = {
  async complete(base, model) {
    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'unused', maxRetries: 0 });
    const answer = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Say something.' }],
    });
    expect(answer.choices[0]?.finish_reason).toBe('stop');
    return answer.choices[0]?.message.content ?? '';
  },
  async text(base, model) {
    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'unused', maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model,
      stream: true,
      messages: [{ role: 'user', content: 'Say something.' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    return text;
  },
  async toolRoundTrip(base, model) {
    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'unused', maxRetries: 0 });
    const ask = { role: 'user' as const, content: 'Look it up.' };
    const tools = [{ type: 'function' as const, function: TOOL }];
    const first = await client.chat.completions.create({ model, stream: true, tools, messages: [ask] });
    const calls: Array<{ id: string; name: string; arguments: string }> = [];
    for await (const chunk of first) {
      for (const delta of chunk.choices[0]?.delta?.tool_calls ?? []) {
        calls[delta.index] ??= { id: '', name: '', arguments: '' };
        const call = calls[delta.index]!;
        if (delta.id) call.id = delta.id;
        if (delta.function?.name) call.name += delta.function.name;
        if (delta.function?.arguments) call.arguments += delta.function.arguments;
      }
    }
    const call = calls[0]!;
    const second = await client.chat.completions.create({
      model,
      stream: true,
      tools,
      messages: [
        ask,
        {
          role: 'assistant',
          content: null,
          tool_calls: calls.map((c) => ({
            id: c.id,
            type: 'function' as const,
            function: { name: c.name, arguments: c.arguments },
          })),
        },
        ...calls.map((c) => ({ role: 'tool' as const, tool_call_id: c.id, content: TOOL_RESULT_MARKER })),
      ],
    });
    let text = '';
    for await (const chunk of second) text += chunk.choices[0]?.delta?.content ?? '';
    return { call: { name: call.name, args: JSON.parse(call.arguments || '{}') }, text };
  },
};

const messagesClient: ClientDriver = {
  async complete(base, model) {
    const client = new Anthropic({ baseURL: base, apiKey: 'unused', maxRetries: 0 });
    const answer = await client.messages.create({
      model,
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Say something.' }],
    });
    expect(answer.stop_reason).toBe('end_turn');
    return answer.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  },
  async text(base, model) {
    const client = new Anthropic({ baseURL: base, apiKey: 'unused', maxRetries: 0 });
    const stream = client.messages.stream({
      model,
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Say something.' }],
    });
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    await stream.finalMessage();
    return text;
  },
  async toolRoundTrip(base, model) {
    const client = new Anthropic({ baseURL: base, apiKey: 'unused', maxRetries: 0 });
    const ask = { role: 'user' as const, content: 'Look it up.' };
    const tools = [{ name: TOOL.name, description: TOOL.description, input_schema: TOOL.parameters }];
    const first = await client.messages
      .stream({ model, max_tokens: 200, tools, messages: [ask] })
      .finalMessage();
    const uses = first.content.filter((block) => block.type === 'tool_use');
    const use = uses[0]!;
    const second = client.messages.stream({
      model,
      max_tokens: 200,
      tools,
      messages: [
        ask,
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: uses.map((u) => ({
            type: 'tool_result' as const,
            tool_use_id: u.id,
            content: TOOL_RESULT_MARKER,
          })),
        },
      ],
    });
    let text = '';
    second.on('text', (delta) => {
      text += delta;
    });
    await second.finalMessage();
    return { call: { name: use.name, args: use.input }, text };
  },
};

const responsesClient: ClientDriver = {
  async complete(base, model) {
    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'unused', maxRetries: 0 });
    const answer = await client.responses.create({ model, input: 'Say something.' });
    expect(answer.status).toBe('completed');
    return answer.output_text;
  },
  async text(base, model) {
    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'unused', maxRetries: 0 });
    const stream = await client.responses.create({ model, stream: true, input: 'Say something.' });
    let text = '';
    let completed = false;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = true;
    }
    expect(completed).toBe(true);
    return text;
  },
  async toolRoundTrip(base, model) {
    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'unused', maxRetries: 0 });
    const ask = { role: 'user' as const, content: 'Look it up.' };
    const tools = [{ type: 'function' as const, strict: false, ...TOOL }];
    const first = await client.responses.create({ model, stream: true, store: false, tools, input: [ask] });
    const calls: Array<{ type: 'function_call'; call_id: string; name: string; arguments: string }> = [];
    for await (const event of first) {
      if (event.type === 'response.output_item.done' && event.item.type === 'function_call') {
        const { call_id, name, arguments: args } = event.item;
        calls.push({ type: 'function_call', call_id, name, arguments: args });
      }
    }
    const call = calls[0]!;
    const second = await client.responses.create({
      model,
      stream: true,
      store: false,
      tools,
      input: [
        ask,
        ...calls,
        ...calls.map((c) => ({
          type: 'function_call_output' as const,
          call_id: c.call_id,
          output: TOOL_RESULT_MARKER,
        })),
      ],
    });
    let text = '';
    for await (const event of second) {
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    return { call: { name: call.name, args: JSON.parse(call.arguments || '{}') }, text };
  },
};

const geminiClient: ClientDriver = {
  async complete(base, model) {
    const ai = new GoogleGenAI({ apiKey: 'unused', httpOptions: { baseUrl: base } });
    const answer = await ai.models.generateContent({ model, contents: 'Say something.' });
    expect(answer.candidates?.[0]?.finishReason).toBe('STOP');
    return answer.text ?? '';
  },
  async text(base, model) {
    const ai = new GoogleGenAI({ apiKey: 'unused', httpOptions: { baseUrl: base } });
    const stream = await ai.models.generateContentStream({ model, contents: 'Say something.' });
    let text = '';
    for await (const chunk of stream) text += chunk.text ?? '';
    return text;
  },
  async toolRoundTrip(base, model) {
    const ai = new GoogleGenAI({ apiKey: 'unused', httpOptions: { baseUrl: base } });
    const ask = { role: 'user', parts: [{ text: 'Look it up.' }] };
    const config = {
      tools: [
        {
          functionDeclarations: [
            { name: TOOL.name, description: TOOL.description, parametersJsonSchema: TOOL.parameters },
          ],
        },
      ],
    };
    const first = await ai.models.generateContentStream({ model, contents: [ask], config });
    const parts: any[] = [];
    for await (const chunk of first) parts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
    const calls = parts.filter((part) => part.functionCall);
    const call = calls[0]!.functionCall;
    const second = await ai.models.generateContentStream({
      model,
      config,
      contents: [
        ask,
        { role: 'model', parts },
        {
          role: 'user',
          parts: calls.map((part) => ({
            functionResponse: {
              ...(part.functionCall.id && { id: part.functionCall.id }),
              name: part.functionCall.name,
              response: { result: TOOL_RESULT_MARKER },
            },
          })),
        },
      ],
    });
    let text = '';
    for await (const chunk of second) text += chunk.text ?? '';
    return { call: { name: call.name, args: call.args ?? {} }, text };
  },
};

const CLIENTS: Record<string, ClientDriver> = {
  'OpenAI Chat Completions': chatClient,
  'Anthropic Messages': messagesClient,
  'OpenAI Responses': responsesClient,
  'Gemini generateContent': geminiClient,
};

let upstream: MatrixUpstream;
let gateway: Gateway;
let server: { url: string; close(grace?: number): Promise<void> };
const results = new Map<string, string>();

beforeAll(async () => {
  upstream = await startMatrixUpstream();
  const url = upstream.url;
  gateway = await createGateway(
    configFrom(`
streaming: { resume: { enabled: true } }
providers:
  p-openai: { type: openai, api_key: k, base_url: "${url}/v1", max_retries: 0 }
  p-responses: { type: openai, api: responses, api_key: k, base_url: "${url}/v1", max_retries: 0 }
  p-anthropic: { type: anthropic, api_key: k, base_url: "${url}", max_retries: 0 }
  p-compatible: { type: openai-compatible, api_key: k, base_url: "${url}/v1", max_retries: 0 }
  p-azure: { type: azure, api_key: k, base_url: "${url}", max_retries: 0 }
  p-gemini: { type: gemini, api_key: k, base_url: "${url}", max_retries: 0 }
  p-ollama: { type: ollama, base_url: "${url}", max_retries: 0 }
  p-bedrock:
    type: bedrock
    region: us-east-1
    base_url: "${url}"
    access_key_id: AKIAIOSFODNN7EXAMPLE
    secret_access_key: matrix-secret
    max_retries: 0
  p-mock:
    type: mock
    responses: { mock-model: ${JSON.stringify(MOCK_TEXT)} }
    tool_call: { name: ${MOCK_TOOL.name}, arguments: ${JSON.stringify(MOCK_TOOL.args)} }
models:
  via-openai: { provider: p-openai, model: gpt-4o-mini }
  via-responses: { provider: p-responses, model: gpt-4o-mini }
  via-anthropic: { provider: p-anthropic, model: claude-sonnet-4-5 }
  via-compatible: { provider: p-compatible, model: some-open-model }
  via-azure: { provider: p-azure, model: my-deployment }
  via-gemini: { provider: p-gemini, model: gemini-2.5-flash }
  via-ollama: { provider: p-ollama, model: llama3.2 }
  via-bedrock: { provider: p-bedrock, model: us.anthropic.claude-sonnet-4-20250514-v1:0 }
  via-mock: { provider: p-mock, model: mock-model }
`),
    { logger: () => {} },
  );
  server = await serve(gateway, { host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server?.close(0);
  await gateway?.close(0);
  await upstream?.close();
  const providers = Object.keys(PROVIDERS);
  const rows = Object.keys(CLIENTS).map(
    (client) =>
      `| ${client} | ${providers.map((provider) => results.get(`${client}|${provider}`) ?? '–').join(' | ')} |`,
  );
  if (results.size === Object.keys(CLIENTS).length * providers.length) {
    writeFileSync(
      new URL('./MATRIX.md', import.meta.url),
      [
        '# Client dialect × provider type',
        '',
        'Written by `dialect-matrix.test.ts` when every pair has run: ✓ = a streamed and a non-streamed text answer',
        'and a streamed tool-call round trip, over real HTTP, with the official SDK of the client dialect.',
        '',
        `| client ↓ / provider → | ${providers.join(' | ')} |`,
        `|---|${providers.map(() => '---').join('|')}|`,
        ...rows,
        '',
      ].join('\n'),
    );
  }
});

for (const [clientName, client] of Object.entries(CLIENTS)) {
  describe(clientName, () => {
    for (const [provider, { alias, wire }] of Object.entries(PROVIDERS)) {
      test(`→ ${provider}: streamed and non-streamed text, and a streamed tool-call round trip`, async () => {
        const expected = expectationOf(provider);
        expect(await client.text(server.url, alias)).toBe(expected.text);

        const asked = upstream.requests.length;
        expect(await client.complete(server.url, alias)).toBe(expected.text);
        // A non-streamed client request went upstream non-streamed, in the upstream's own wire.
        if (wire)
          expect(upstream.requests.slice(asked).map((r) => [r.wire, r.stream])).toEqual([[wire, false]]);

        const before = upstream.requests.length;
        const { call, text } = await client.toolRoundTrip(server.url, alias);
        expect(call.name).toBe(expected.tool.name);
        expect(call.args).toEqual(expected.tool.args);
        expect(text).toBe(expected.text);
        if (wire) {
          const seen = upstream.requests.slice(before);
          expect(seen.map((r) => r.wire)).toEqual([wire, wire]);
          // The client's tool result reached the upstream, in the upstream's own wire.
          expect(seen[1]!.body).toContain(TOOL_RESULT_MARKER);
          // Gemini's thought signature went out with the call and came back with it.
          if (wire === 'gemini') expect(seen[1]!.body).toContain('"thoughtSignature"');
        }
        results.set(`${clientName}|${provider}`, '✓');
      });
    }
  });
}
