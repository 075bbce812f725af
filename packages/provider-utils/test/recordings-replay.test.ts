/**
 * The kit's fixture replayer on the recordings no provider reads yet: every Gemini `.sse` (CRLF frames, each
 * `data:` a whole GenerateContentResponse) and every Ollama `.ndjson`, served by the fixture upstream in every
 * replay mode, fetched with the undici client (`createUpstreamClient` + `openBytes`) and read back with
 * `parseSse` / `createNdjsonParser`. The expected figures are read off the recordings themselves
 * (test/fixtures/gemini/*.sse and test/fixtures/ollama/*.ndjson; see test/fixtures/README.md): in every mode
 * the same frames must come out.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { byteReaderToWeb, openBytes } from '../src/http/byte-reader.ts';
import { createUpstreamClient, type UpstreamClient } from '../src/http/upstream-client.ts';
import { createNdjsonParser } from '../src/ndjson/parse-ndjson.ts';
import { parseSse } from '../src/sse/parse-sse.ts';
import { readAll } from '../src/test/call-context.ts';
import { type FixtureUpstream, startFixtureUpstream } from '../src/test/fixture-upstream.ts';
import { type Fixture, loadFixtures } from '../src/test/load-fixture.ts';
import { type ReplayMode, replayModes, usesCrlf } from '../src/test/replay-modes.ts';

const modes = replayModes({ seeds: [1, 2], maxChunk: 48 });

let upstream: FixtureUpstream;
let client: UpstreamClient;

beforeAll(async () => {
  upstream = await startFixtureUpstream();
  client = createUpstreamClient({
    provider: 'test',
    origin: upstream.url,
    connectTimeoutMs: 5_000,
    firstByteTimeoutMs: 5_000,
    idleTimeoutMs: 5_000,
  });
});

afterAll(async () => {
  await client.close();
  await upstream.close();
});

/** Serves the fixture in the mode and sends one request: the response, as the providers will get it. */
async function fetchReplay(fixture: Fixture, mode: ReplayMode, path: string) {
  upstream.serve(fixture, { mode });
  const before = upstream.requests.length;
  const response = await client.send({
    path,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ stream: true }),
    signal: new AbortController().signal,
  });
  expect(upstream.requests[before]?.json).toEqual({ stream: true });
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toBe(fixture.contentType);
  return response;
}

// ---------------------------------------------------------------------------------------------- Gemini

interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { name: string; args: unknown };
}

interface GeminiChunk {
  candidates?: Array<{ content?: { parts?: GeminiPart[] }; finishReason?: string }>;
  usageMetadata?: Record<string, unknown>;
  modelVersion?: string;
}

interface GeminiExpected {
  frames: number;
  model: string;
  finishReason: string;
  usage: {
    promptTokenCount: number;
    candidatesTokenCount: number;
    totalTokenCount: number;
    thoughtsTokenCount?: number;
  };
  /** Answer text (parts without `thought`), joined; or its start, end and length when long. */
  text: string | { startsWith: string; endsWith: string; length: number };
  thoughts?: { parts: number; startsWith: string; length: number };
  calls: Array<{ name: string; args: unknown }>;
  /** Parts carrying a thoughtSignature. */
  signatures: number;
}

// Read off test/fixtures/gemini/*.sse: frame count, and from the last frame finishReason, usageMetadata and
// modelVersion; the texts and function calls from every frame's candidates[0].content.parts.
const GEMINI: Record<string, GeminiExpected> = {
  'function-call-thought-signature.sse': {
    frames: 2,
    model: 'gemini-3-pro-preview',
    finishReason: 'STOP',
    usage: { promptTokenCount: 29, candidatesTokenCount: 10, totalTokenCount: 241, thoughtsTokenCount: 202 },
    text: '',
    calls: [{ name: 'get_country', args: {} }],
    signatures: 1,
  },
  'function-calls-parallel.sse': {
    frames: 1,
    model: 'gemini-2.0-flash',
    finishReason: 'STOP',
    usage: { promptTokenCount: 37, candidatesTokenCount: 14, totalTokenCount: 51 },
    text: '',
    calls: [
      { name: 'get_current_temperature', args: { city: 'Paris' } },
      { name: 'get_current_temperature', args: { city: 'London' } },
    ],
    signatures: 0,
  },
  'text.sse': {
    frames: 3,
    model: 'gemini-2.0-flash-exp',
    finishReason: 'STOP',
    usage: { promptTokenCount: 13, candidatesTokenCount: 8, totalTokenCount: 21 },
    text: 'The capital of France is Paris.\n',
    calls: [],
    signatures: 0,
  },
  'thinking.sse': {
    frames: 23,
    model: 'gemini-2.5-pro',
    finishReason: 'STOP',
    usage: {
      promptTokenCount: 34,
      candidatesTokenCount: 469,
      totalTokenCount: 1290,
      thoughtsTokenCount: 787,
    },
    text: {
      startsWith: 'This is a great question! Safely crossing the street',
      endsWith: 'Always assume a driver might not see you.',
      length: 1938,
    },
    thoughts: { parts: 4, startsWith: '**Clarifying User Goals**', length: 1575 },
    calls: [],
    signatures: 1,
  },
};

const geminiFixtures = loadFixtures(new URL('./fixtures/gemini/', import.meta.url), '.sse');

test('every Gemini recording has its expectations, and uses CRLF only', () => {
  expect(geminiFixtures.map((f) => f.name)).toEqual(Object.keys(GEMINI).sort());
  for (const fixture of geminiFixtures) expect(usesCrlf(fixture.body as Uint8Array)).toBe(true);
});

describe.each(geminiFixtures)('gemini/$name', (fixture) => {
  const expected = GEMINI[fixture.name] as GeminiExpected;

  test.each(modes)('$name', async (mode) => {
    const response = await fetchReplay(fixture, mode, '/v1beta/models/m:streamGenerateContent?alt=sse');
    const messages = await readAll(parseSse(byteReaderToWeb(openBytes(response))));
    expect(messages).toHaveLength(expected.frames);
    // No event names and no [DONE]: every frame is a whole GenerateContentResponse.
    expect(messages.every((m) => m.event === undefined)).toBe(true);
    const chunks = messages.map((m) => JSON.parse(m.data) as GeminiChunk);
    const parts = chunks.flatMap((c) => c.candidates?.[0]?.content?.parts ?? []);
    const last = chunks.at(-1);
    expect(last?.candidates?.[0]?.finishReason).toBe(expected.finishReason);
    expect(chunks.slice(0, -1).every((c) => c.candidates?.[0]?.finishReason === undefined)).toBe(true);
    expect(last?.usageMetadata).toMatchObject(expected.usage);
    expect(last?.modelVersion).toBe(expected.model);

    const answer = parts
      .filter((p) => !p.thought && p.text !== undefined)
      .map((p) => p.text)
      .join('');
    if (typeof expected.text === 'string') expect(answer).toBe(expected.text);
    else {
      expect(answer.startsWith(expected.text.startsWith)).toBe(true);
      expect(answer.endsWith(expected.text.endsWith)).toBe(true);
      expect(answer).toHaveLength(expected.text.length);
    }
    const thoughts = parts.filter((p) => p.thought);
    if (expected.thoughts) {
      expect(thoughts).toHaveLength(expected.thoughts.parts);
      const thoughtText = thoughts.map((p) => p.text).join('');
      expect(thoughtText.startsWith(expected.thoughts.startsWith)).toBe(true);
      expect(thoughtText).toHaveLength(expected.thoughts.length);
    } else expect(thoughts).toHaveLength(0);
    expect(parts.flatMap((p) => (p.functionCall ? [p.functionCall] : []))).toEqual(expected.calls);
    expect(parts.filter((p) => p.thoughtSignature)).toHaveLength(expected.signatures);
  });
});

// ---------------------------------------------------------------------------------------------- Ollama

interface OllamaLine {
  model?: string;
  response?: string;
  thinking?: string;
  message?: { role: string; content: string; thinking?: string };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  context?: number[];
}

interface OllamaExpected {
  lines: number;
  model: string;
  /** `response` (generate) or `message.content` (chat), joined. */
  text: string;
  thinking: string;
  thinkingLines: number;
  doneReason: string;
  promptEvalCount: number;
  evalCount: number;
  /** Length of the final line's `context` array (generate only). */
  context?: number;
}

// Read off test/fixtures/ollama/*.ndjson: line count, and from the last line (the only one with "done":true)
// done_reason, prompt_eval_count, eval_count and context; the texts from every line.
const OLLAMA: Record<string, OllamaExpected> = {
  'chat-text-tail.ndjson': {
    lines: 6,
    model: 'phi3',
    text: ' these times of day.',
    thinking: '',
    thinkingLines: 0,
    doneReason: 'stop',
    promptEvalCount: 10,
    // The capture was trimmed at the source: 239 tokens were generated, only the tail is kept.
    evalCount: 239,
  },
  'generate-text.ndjson': {
    lines: 50,
    model: 'smollm2:360m',
    text:
      'A rabbit is typically small and furry with long ears, fluffy fur, and large feet. They can hop or run ' +
      'quickly on all fours. They have short tails that are often brown or grey and may have a white patch ' +
      'under their ears.',
    thinking: '',
    thinkingLines: 0,
    doneReason: 'stop',
    promptEvalCount: 38,
    evalCount: 50,
    context: 87,
  },
  'generate-thinking.ndjson': {
    lines: 33,
    model: 'gpt-oss:120b',
    text: 'Soft, swift, curious.',
    thinking:
      'User asks: "Describe a rabbit in 3 words". That\'s simple, non-problematic. Provide three words.',
    thinkingLines: 24,
    doneReason: 'stop',
    promptEvalCount: 81,
    evalCount: 40,
  },
};

const ollamaFixtures = loadFixtures(new URL('./fixtures/ollama/', import.meta.url), '.ndjson');

test('every Ollama recording has its expectations', () => {
  expect(ollamaFixtures.map((f) => f.name)).toEqual(Object.keys(OLLAMA).sort());
  expect(ollamaFixtures.every((f) => f.contentType === 'application/x-ndjson')).toBe(true);
});

describe.each(ollamaFixtures)('ollama/$name', (fixture) => {
  const expected = OLLAMA[fixture.name] as OllamaExpected;

  test.each(modes)('$name', async (mode) => {
    const response = await fetchReplay(fixture, mode, '/api/generate');
    const reader = openBytes(response);
    const lines: OllamaLine[] = [];
    const numbers: number[] = [];
    const parser = createNdjsonParser((value, line) => {
      lines.push(value as OllamaLine);
      numbers.push(line);
    });
    for (let chunk = await reader.read(); chunk !== undefined; chunk = await reader.read())
      parser.feed(chunk);
    parser.end();

    expect(lines).toHaveLength(expected.lines);
    expect(numbers).toEqual(lines.map((_, i) => i + 1)); // no blank lines in these recordings
    expect(lines.every((l) => l.model === expected.model)).toBe(true);
    expect(lines.map((l) => l.done)).toEqual([...Array(expected.lines - 1).fill(false), true]);
    const last = lines.at(-1);
    expect(last?.done_reason).toBe(expected.doneReason);
    expect(last?.prompt_eval_count).toBe(expected.promptEvalCount);
    expect(last?.eval_count).toBe(expected.evalCount);
    expect(last?.context?.length).toBe(expected.context);
    expect(lines.map((l) => l.response ?? l.message?.content ?? '').join('')).toBe(expected.text);
    expect(lines.map((l) => l.thinking ?? l.message?.thinking ?? '').join('')).toBe(expected.thinking);
    expect(lines.filter((l) => l.thinking)).toHaveLength(expected.thinkingLines);
  });
});
