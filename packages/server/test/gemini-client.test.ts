/**
 * Gemini as a client dialect: the official `@google/genai` SDK, with only its base URL changed, against
 * TokenPak over real HTTP, for aliases served by an OpenAI, an Anthropic and a Gemini upstream (fake
 * upstreams replaying the providers' recordings). Generation streamed and not, a function calling round
 * trip, countTokens, the model list, errors the SDK reads; the Gemini upstream as the same dialect (the
 * client's body forwarded as sent, the stream's bytes with only the model renamed); and the v1beta route's
 * other framing, a streamed JSON array, with a raw fetch.
 */
import { ApiError, type Content, GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createGateway, type Gateway } from '../src/index.ts';
import { serve } from '../src/node.ts';
import { configFrom } from './helpers/config.ts';
import {
  framesOf,
  type GeminiUpstream,
  geminiRecording,
  geminiText,
  startGeminiUpstream,
} from './helpers/gemini-upstream.ts';
import { recording } from './helpers/recording-upstream.ts';
import { type ScriptedUpstream, startScriptedUpstream } from './helpers/scripted-upstream.ts';
import { fixtureText } from './helpers/sse.ts';

const KEY = 'tp-client-key';
const OPENAI_TEXT = fixtureText(recording('openai/chat-text-include-usage.sse'), 'openai');
const ANTHROPIC_TEXT = fixtureText(recording('anthropic/text.sse'), 'anthropic');
const GEMINI_TEXT = geminiText(framesOf(geminiRecording('text')));

let scripted: ScriptedUpstream;
let google: GeminiUpstream;
let gateway: Gateway;
let server: { url: string; close(grace?: number): Promise<void> };
let ai: GoogleGenAI;

beforeAll(async () => {
  scripted = await startScriptedUpstream();
  google = await startGeminiUpstream();
  gateway = await createGateway(
    configFrom(`
server:
  api_keys: [${KEY}]
providers:
  openai: { type: openai, api_key: sk-test, base_url: "${scripted.url}/v1", max_retries: 0 }
  anthropic: { type: anthropic, api_key: sk-ant-test, base_url: "${scripted.url}", max_retries: 0 }
  google: { type: gemini, api_key: goog-upstream-key, base_url: "${google.url}", max_retries: 0 }
models:
  gpt: { provider: openai, model: gpt-text }
  gpt-tools: { provider: openai, model: gpt-tools }
  gpt-cut: { provider: openai, model: gpt-cut }
  claude: { provider: anthropic, model: claude-text }
  claude-tools: { provider: anthropic, model: claude-tools }
  gem: { provider: google, model: text }
  gem-tools: { provider: google, model: function-call-thought-signature }
  gem-thinking: { provider: google, model: thinking }
  gem-limited: { provider: google, model: status-429 }
`),
    { logger: () => {} },
  );
  server = await serve(gateway, { host: '127.0.0.1', port: 0 });
  ai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: server.url } });
});

afterAll(async () => {
  await server.close(0);
  await gateway.close(0);
  await scripted.close();
  await google.close();
});

/** The SDK's stream, read whole: the text, the function calls, the last chunk. */
async function readStream(stream: AsyncGenerator<import('@google/genai').GenerateContentResponse>) {
  let text = '';
  const calls: Array<{ name?: string; args?: unknown }> = [];
  const parts: Array<Record<string, unknown>> = [];
  let last: import('@google/genai').GenerateContentResponse | undefined;
  for await (const chunk of stream) {
    const chunkParts = chunk.candidates?.[0]?.content?.parts ?? [];
    parts.push(...(chunkParts as Array<Record<string, unknown>>));
    text += chunkParts
      .filter((p) => typeof p.text === 'string' && !p.thought)
      .map((p) => p.text)
      .join('');
    for (const call of chunk.functionCalls ?? []) calls.push({ name: call.name, args: call.args });
    last = chunk;
  }
  return { text, calls, parts, last };
}

const UPSTREAMS = [
  { name: 'an OpenAI upstream', alias: 'gpt', tools: 'gpt-tools', text: OPENAI_TEXT },
  { name: 'an Anthropic upstream', alias: 'claude', tools: 'claude-tools', text: ANTHROPIC_TEXT },
  { name: 'a Gemini upstream', alias: 'gem', tools: 'gem-tools', text: GEMINI_TEXT },
] as const;

describe.each(UPSTREAMS)('the @google/genai SDK against $name', ({ alias, tools, text }) => {
  test('models.generateContent: one body, the alias as modelVersion, usage', async () => {
    const response = await ai.models.generateContent({ model: alias, contents: 'Say something.' });
    expect(response.text).toBe(text);
    expect(response.modelVersion).toBe(alias);
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.usageMetadata?.promptTokenCount).toBeGreaterThan(0);
    expect(response.usageMetadata?.totalTokenCount).toBeGreaterThan(0);
    expect(typeof response.responseId).toBe('string');
  });

  test('models.generateContentStream: the text, then finishReason and usage on the last chunk', async () => {
    const { text: streamed, last } = await readStream(
      await ai.models.generateContentStream({ model: alias, contents: 'Say something.' }),
    );
    expect(streamed).toBe(text);
    expect(last?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(last?.usageMetadata?.promptTokenCount).toBeGreaterThan(0);
    expect(last?.modelVersion).toBe(alias);
  });

  test('function calling round trip: functionCall → functionResponse → answer', async () => {
    if (tools === 'gpt-tools') {
      scripted.script('gpt-tools', ['ok:openai/chat-tool-call.sse', 'ok:openai/chat-text-include-usage.sse']);
    } else if (tools === 'claude-tools') {
      scripted.script('claude-tools', ['ok:anthropic/tool-use.sse', 'ok:anthropic/text.sse']);
    }
    const config = {
      tools: [
        {
          functionDeclarations: [
            {
              name: 'get_capital',
              description: 'The capital of a country',
              parametersJsonSchema: { type: 'object', properties: { country: { type: 'string' } } },
            },
          ],
        },
      ],
    };
    const user: Content = { role: 'user', parts: [{ text: 'Capital of France? Use the tool.' }] };
    const first = await readStream(
      await ai.models.generateContentStream({ model: tools, contents: [user], config }),
    );
    expect(first.calls.length).toBeGreaterThan(0);
    for (const call of first.calls) {
      expect(typeof call.name).toBe('string');
      expect(typeof call.args).toBe('object');
    }
    // The model's turn as the client keeps it: every part it was sent, signatures included.
    const model: Content = { role: 'model', parts: first.parts };
    const answers: Content = {
      role: 'user',
      parts: first.calls.map((call) => ({
        functionResponse: { name: call.name, response: { result: 'Paris' } },
      })),
    };
    const second = await readStream(
      await ai.models.generateContentStream({ model: tools, contents: [user, model, answers], config }),
    );
    expect(second.text.length).toBeGreaterThan(0);
    expect(second.last?.candidates?.[0]?.finishReason).toBe('STOP');
  });

  test('countTokens: an estimate', async () => {
    const count = await ai.models.countTokens({
      model: alias,
      contents: 'How many tokens is this sentence?',
    });
    expect(count.totalTokens).toBeGreaterThan(3);
    expect(count.totalTokens).toBeLessThan(40);
  });
});

describe('across dialects: what reaches the upstream', () => {
  test('OpenAI: the tool result pairs with the call, by name and order', async () => {
    scripted.script('gpt-tools', ['ok:openai/chat-tool-call.sse', 'ok:openai/chat-text-include-usage.sse']);
    const tools = [
      {
        functionDeclarations: [
          {
            name: 'get_capital',
            parameters: { type: 'OBJECT' as never, properties: { country: { type: 'STRING' as never } } },
          },
        ],
      },
    ];
    const user: Content = { role: 'user', parts: [{ text: 'Capital of France?' }] };
    const first = await readStream(
      await ai.models.generateContentStream({ model: 'gpt-tools', contents: [user], config: { tools } }),
    );
    await readStream(
      await ai.models.generateContentStream({
        model: 'gpt-tools',
        contents: [
          user,
          { role: 'model', parts: first.parts },
          {
            role: 'user',
            parts: [{ functionResponse: { name: 'get_capital', response: { result: 'Paris' } } }],
          },
        ],
        config: { tools, systemInstruction: 'Be brief.', maxOutputTokens: 50, temperature: 0.1 },
      }),
    );
    const [toFirst, toSecond] = scripted.requestsFor('gpt-tools');
    expect(toFirst?.body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_capital',
          parameters: { type: 'object', properties: { country: { type: 'string' } } },
        },
      },
    ]);
    const messages = toSecond?.body.messages as Array<Record<string, any>>;
    expect(messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    const call = messages.find((m) => m.role === 'assistant')?.tool_calls?.[0];
    expect(call?.function?.name).toBe('get_capital');
    expect(messages.at(-1)).toEqual({ role: 'tool', tool_call_id: call?.id, content: 'Paris' });
    expect(toSecond?.body.max_completion_tokens ?? toSecond?.body.max_tokens).toBe(50);
    expect(toSecond?.body.temperature).toBe(0.1);
  });

  test('a request only Gemini can serve is a 400 INVALID_ARGUMENT elsewhere', async () => {
    const error = await ai.models
      .generateContent({ model: 'gpt', contents: 'Hi', config: { candidateCount: 2 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).message).toContain('INVALID_ARGUMENT');
    expect((error as ApiError).message).toContain('candidateCount');
  });

  test('safetySettings toward a non-Gemini upstream: dropped, with a warning', async () => {
    const response = await fetch(`${server.url}/v1beta/models/claude:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': KEY },
      body: JSON.stringify({
        contents: [{ parts: [{ text: 'Hi' }] }],
        safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-tokenpak-warnings')).toContain(
      'safetySettings has no Anthropic equivalent',
    );
    expect(JSON.stringify(scripted.requestsFor('claude-text').at(-1)?.body)).not.toContain('HARM_CATEGORY');
  });

  test('a mid-stream failure is an error frame the SDK throws on', async () => {
    scripted.script('gpt-cut', ['cut-after-content']);
    const error = await readStream(
      await ai.models.generateContentStream({ model: 'gpt-cut', contents: 'Hi' }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBeGreaterThanOrEqual(500);
  });
});

describe('a Gemini upstream: the same dialect', () => {
  test('streamed: the body as sent (unknown fields too), the bytes as Gemini sent them with only the model renamed', async () => {
    const body = {
      contents: [{ role: 'user', parts: [{ text: 'Capital of France?' }] }],
      safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'OFF' }],
      generationConfig: { candidateCount: 1, someFutureKnob: { on: true } },
      someFutureField: [1, 2, 3],
    };
    const text = JSON.stringify(body);
    const response = await fetch(`${server.url}/v1beta/models/gem:streamGenerateContent?alt=sse&key=${KEY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const wire = await response.text();
    const upstream = google.requests.at(-1);
    expect(upstream?.url).toBe('/v1beta/models/text:streamGenerateContent?alt=sse');
    expect(upstream?.text).toBe(text);
    expect(upstream?.headers['x-goog-api-key']).toBe('goog-upstream-key');
    // Resumable streams are on (the default), yet no `id:` line: the SDK reads `data:` and nothing else.
    expect(wire).toBe(
      geminiRecording('text').replaceAll('"modelVersion": "gemini-2.0-flash-exp"', '"modelVersion": "gem"'),
    );
    expect(response.headers.get('x-tokenpak-stream-id')).toBeTruthy();
  });

  test('thought signatures reach the client on their parts and go back to Gemini on them', async () => {
    const user: Content = { role: 'user', parts: [{ text: 'Which country?' }] };
    const config = { tools: [{ functionDeclarations: [{ name: 'get_country' }] }] };
    const first = await readStream(
      await ai.models.generateContentStream({ model: 'gem-tools', contents: [user], config }),
    );
    const original = framesOf(geminiRecording('function-call-thought-signature'))[0]?.candidates?.[0]?.content
      ?.parts?.[0];
    expect(first.parts[0]).toEqual(original);
    await ai.models.generateContent({
      model: 'gem-tools',
      contents: [
        user,
        { role: 'model', parts: first.parts },
        {
          role: 'user',
          parts: [{ functionResponse: { name: 'get_country', response: { result: 'France' } } }],
        },
      ],
      config,
    });
    const sent = google.requests.at(-1)?.body.contents[1].parts[0];
    expect(sent.thoughtSignature).toBe(original?.thoughtSignature);
  });

  test('not streamed: thoughts, signatures and the answer, read by the SDK', async () => {
    const response = await ai.models.generateContent({
      model: 'gem-thinking',
      contents: 'How do I cross a street?',
    });
    const frames = framesOf(geminiRecording('thinking'));
    expect(response.text).toBe(geminiText(frames));
    const parts = response.candidates?.[0]?.content?.parts ?? [];
    expect(parts.some((p) => p.thought)).toBe(true);
    expect(parts.filter((p) => p.thoughtSignature).length).toBe(1);
    expect(response.usageMetadata?.thoughtsTokenCount).toBe(frames.at(-1)?.usageMetadata?.thoughtsTokenCount);
  });

  test("the upstream's error, in Gemini's shape", async () => {
    const error = await ai.models
      .generateContent({ model: 'gem-limited', contents: 'Hi' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(429);
    expect((error as ApiError).message).toContain('RESOURCE_EXHAUSTED');
  });
});

describe('routes, keys and errors', () => {
  test('an unknown model is a 404 NOT_FOUND the SDK reads, streamed or not', async () => {
    for (const call of [
      () => ai.models.generateContent({ model: 'no-such-model', contents: 'Hi' }),
      () => ai.models.generateContentStream({ model: 'no-such-model', contents: 'Hi' }),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(404);
      expect(JSON.parse((error as ApiError).message)).toMatchObject({
        error: {
          code: 404,
          status: 'NOT_FOUND',
          message: expect.stringContaining("Unknown model 'no-such-model'"),
        },
      });
    }
  });

  test('a wrong key is a 401 UNAUTHENTICATED; the key is read from x-goog-api-key or ?key=', async () => {
    const wrong = new GoogleGenAI({ apiKey: 'nope', httpOptions: { baseUrl: server.url } });
    const error = await wrong.models
      .generateContent({ model: 'gpt', contents: 'Hi' })
      .catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).message).toContain('UNAUTHENTICATED');
    const body = JSON.stringify({ contents: [{ parts: [{ text: 'Hi' }] }] });
    const url = `${server.url}/v1beta/models/gpt:generateContent`;
    const headers = { 'content-type': 'application/json' };
    expect((await fetch(`${url}?key=${KEY}`, { method: 'POST', headers, body })).status).toBe(200);
    expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(401);
  });

  test('models.list and models.get: the aliases in Gemini’s shape', async () => {
    const names: string[] = [];
    for await (const model of await ai.models.list()) names.push(model.name ?? '');
    expect(names).toContain('models/gpt');
    expect(names).toContain('models/gem-tools');
    const model = await ai.models.get({ model: 'claude' });
    expect(model.name).toBe('models/claude');
    const beta = await fetch(`${server.url}/v1beta/models`, { headers: { 'x-goog-api-key': KEY } });
    expect(((await beta.json()) as { models: Array<{ name: string }> }).models[0]?.name).toBe('models/gpt');
    const missing = await fetch(`${server.url}/v1beta/models/nope`, { headers: { 'x-goog-api-key': KEY } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
  });

  test('the SDK on v1beta works the same; an unknown method is a 404 in Gemini’s shape', async () => {
    const beta = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: server.url, apiVersion: 'v1beta' } });
    expect((await beta.models.generateContent({ model: 'claude', contents: 'Hi' })).text).toBe(
      ANTHROPIC_TEXT,
    );
    const response = await fetch(`${server.url}/v1beta/models/gpt:embedContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': KEY },
      body: '{}',
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
  });

  test.each(['gpt', 'claude', 'gem'])(
    'v1beta without alt=sse (%s): a streamed JSON array of GenerateContentResponse',
    async (alias) => {
      const response = await fetch(`${server.url}/v1beta/models/${alias}:streamGenerateContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': KEY },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/json');
      const text = await response.text();
      expect(text.startsWith('[{')).toBe(true);
      expect(text.endsWith('}]')).toBe(true);
      const frames = JSON.parse(text) as Array<Record<string, any>>;
      expect(Array.isArray(frames)).toBe(true);
      expect(frames.length).toBeGreaterThan(1);
      expect(frames.at(-1)?.candidates[0].finishReason).toBe('STOP');
      expect(frames.every((frame) => frame.modelVersion === alias)).toBe(true);
      const expected = alias === 'gpt' ? OPENAI_TEXT : alias === 'claude' ? ANTHROPIC_TEXT : GEMINI_TEXT;
      expect(geminiText(frames)).toBe(expected);
    },
  );

  test('resumable: SSE without ids is resumed by counting events; a JSON array by counting elements', async () => {
    const headers = { 'content-type': 'application/json', 'x-goog-api-key': KEY };
    const body = JSON.stringify({ contents: [{ parts: [{ text: 'Hi' }] }] });
    const sse = await fetch(`${server.url}/v1beta/models/claude:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers,
      body,
    });
    const wire = await sse.text();
    expect(wire).not.toMatch(/^(id|event):/m);
    const events = wire.split('\n\n').filter((event) => event !== '');
    const rest = await fetch(
      `${server.url}/v1/streams/${sse.headers.get('x-tokenpak-stream-id')}?last_event_id=2`,
      { headers },
    );
    expect(await rest.text()).toBe(
      events
        .slice(2)
        .map((event) => `${event}\n\n`)
        .join(''),
    );

    const array = await fetch(`${server.url}/v1beta/models/claude:streamGenerateContent`, {
      method: 'POST',
      headers,
      body,
    });
    const whole = await array.text();
    const tail = await fetch(
      `${server.url}/v1/streams/${array.headers.get('x-tokenpak-stream-id')}?after=1`,
      { headers },
    );
    const resumed = await tail.text();
    // Everything after the first element: appended to it, the whole array again.
    expect(resumed).toBe(whole.slice(whole.indexOf(',\r\n')));
  });

  test('a JSON array stream that fails still ends as a valid array, with the error as its last element', async () => {
    scripted.script('gpt-cut', ['cut-after-content']);
    const response = await fetch(`${server.url}/v1beta/models/gpt-cut:streamGenerateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': KEY },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'Hi' }] }] }),
    });
    const frames = JSON.parse(await response.text()) as Array<Record<string, any>>;
    expect(frames.at(-1)).toMatchObject({ error: { code: 502, status: 'UNAVAILABLE' } });
  });
});
