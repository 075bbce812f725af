/**
 * Every recorded OpenAI Chat Completions, openai-compatible and Anthropic stream, replayed by a fake upstream
 * over real HTTP (whole, in random chunks with delays, and with CRLF line endings), decoded by the matching
 * provider's `stream()`, and checked as canonical events. Text, reasoning and tool arguments are checked
 * against a plain reading of the recording's JSON (a reference that shares no code with the decoders).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createAnthropicProvider } from '@tokenpak/anthropic';
import { createOpenAICompatibleProvider, createOpenAIProvider } from '@tokenpak/openai';
import type { Provider, StreamEvent } from '@tokenpak/provider';
import {
  callContext,
  type FakeUpstream,
  providerEntry,
  type ReplayOptions,
  readAll,
  replay,
  startFakeUpstream,
  userRequest,
} from '@tokenpak/provider-utils/test';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixtureUrl } from './helpers/fixtures.ts';

type Kind = 'openai' | 'openai-compatible' | 'anthropic';

interface Block {
  type: string;
  text?: string;
  name?: string;
  /** Tool arguments, parsed. */
  input?: unknown;
  data?: string;
  signature?: string;
}

interface Summary {
  model: string;
  blocks: Block[];
  finish?: string;
  usage?: Record<string, number | undefined>;
  error?: { type: string; code?: string; message: string };
}

interface Expected {
  model: string;
  /** Block types in order. */
  blocks: string[];
  tools?: Array<{ name: string; input: unknown }>;
  finish?: string;
  usage?: Record<string, number>;
  error?: { type: string; code?: string };
  /** Checked against the reference reading, and its start checked here so the reference cannot be empty. */
  textStartsWith?: string;
  reasoningStartsWith?: string;
  signatureStartsWith?: string;
  redactedStartsWith?: string[];
}

const EXPECTED: Record<string, Expected> = {
  'openai/chat-azure-content-filter-results.sse': {
    model: 'gpt-4o-mini-2024-07-18',
    blocks: ['text'],
    textStartsWith: 'Hello! How can I assist you today?',
    finish: 'stop',
    usage: { inputTokens: 9, outputTokens: 10 },
  },
  'openai/chat-azure-reasoning-model-router.sse': {
    model: 'gpt-5-nano-2025-08-07',
    blocks: ['text'],
    textStartsWith: 'Capital of Denmark.',
    finish: 'stop',
    usage: { inputTokens: 15, outputTokens: 78, reasoningTokens: 64 },
  },
  'openai/chat-finish-length.sse': {
    model: 'gpt-4o-2024-08-06',
    blocks: ['text'],
    textStartsWith: '{"',
    finish: 'length',
    usage: { inputTokens: 79, outputTokens: 1 },
  },
  'openai/chat-gpt5-moderation-trailing-chunk.sse': {
    model: 'gpt-5-2025-08-07',
    blocks: ['text'],
    textStartsWith: 'Paris.',
    finish: 'stop',
    usage: { inputTokens: 13, outputTokens: 11 },
  },
  'openai/chat-logprobs.sse': {
    model: 'gpt-4o-2024-08-06',
    blocks: ['text'],
    textStartsWith: 'Foo!',
    finish: 'stop',
    usage: { inputTokens: 9, outputTokens: 2 },
  },
  // n=3: the canonical stream carries choice 0 (the bytes of all three pass through streamRaw, tested below).
  'openai/chat-n3-multiple-choices.sse': {
    model: 'gpt-4o-2024-08-06',
    blocks: ['text'],
    textStartsWith: '{"city":"San Francisco","temperature":65,"units":"f"}',
    finish: 'stop',
    usage: { inputTokens: 79, outputTokens: 42 },
  },
  'openai/chat-refusal.sse': {
    model: 'gpt-4o-2024-08-06',
    blocks: ['refusal'],
    textStartsWith: "I'm sorry, I can't assist with that request.",
    finish: 'stop',
    usage: { inputTokens: 79, outputTokens: 11 },
  },
  'openai/chat-text-include-usage.sse': {
    model: 'gpt-4o-mini-2024-07-18',
    blocks: ['text'],
    textStartsWith: 'The capital of the UK is London.',
    finish: 'stop',
    usage: { inputTokens: 78, outputTokens: 9 },
  },
  'openai/chat-text-no-usage.sse': {
    model: 'gpt-3.5-turbo-0125',
    blocks: ['text'],
    textStartsWith: "Why couldn't the bicycle stand up by itself? Because it was two-tired!",
    finish: 'stop',
    usage: {},
  },
  'openai/chat-tool-call.sse': {
    model: 'gpt-4o-mini-2024-07-18',
    blocks: ['tool-call'],
    tools: [{ name: 'get_capital', input: { country: 'UK' } }],
    finish: 'tool-calls',
    usage: { inputTokens: 53, outputTokens: 15 },
  },
  'openai/chat-tool-calls-parallel.sse': {
    model: 'gpt-4o-2024-08-06',
    blocks: ['tool-call', 'tool-call'],
    tools: [
      { name: 'GetWeatherArgs', input: { city: 'Edinburgh', country: 'GB', units: 'c' } },
      { name: 'get_stock_price', input: { ticker: 'AAPL', exchange: 'NASDAQ' } },
    ],
    finish: 'tool-calls',
    usage: { inputTokens: 149, outputTokens: 60 },
  },
  'openai-compatible/deepseek-reasoning-content.sse': {
    model: 'deepseek-reasoner',
    blocks: ['reasoning', 'text'],
    reasoningStartsWith: 'Hmm, the user just said "Hello".',
    textStartsWith: 'Hello there! 😊 How can I help you today?',
    finish: 'stop',
    usage: { inputTokens: 6, outputTokens: 212, reasoningTokens: 198 },
  },
  'openai-compatible/groq-midstream-error-event.sse': {
    model: 'openai/gpt-oss-120b',
    blocks: ['reasoning'],
    reasoningStartsWith: 'We need to call the tool with invalid parameters first',
    error: { type: 'invalid_request', code: 'tool_use_failed' },
  },
  'anthropic/redacted-thinking.sse': {
    model: 'claude-sonnet-4-5-20250929',
    blocks: ['redacted-reasoning', 'redacted-reasoning', 'text'],
    redactedStartsWith: ['EqkECkYIBxgCKkA8AZ4n', 'EtgBCkYIBxgCKkDQfGkw'],
    textStartsWith: "I notice that you've sent what appears to be",
    finish: 'stop',
    usage: { inputTokens: 92, outputTokens: 189 },
  },
  'anthropic/text-structured-output.sse': {
    model: 'claude-sonnet-4-5-20250929',
    blocks: ['text'],
    textStartsWith: '[12345,67890]',
    finish: 'stop',
    usage: { inputTokens: 135, outputTokens: 10 },
  },
  'anthropic/text.sse': {
    model: 'claude-3-5-haiku-20241022',
    blocks: ['text'],
    textStartsWith: 'The current temperature in San Francisco is 72°F.',
    finish: 'stop',
    usage: { inputTokens: 457, outputTokens: 33 },
  },
  'anthropic/thinking.sse': {
    model: 'claude-sonnet-4-20250514',
    blocks: ['reasoning', 'text'],
    reasoningStartsWith: 'This is a straightforward question about pedestrian safety.',
    signatureStartsWith: 'EvMCCkYICxgCKkCHP2cS',
    textStartsWith: 'Here are the basic steps for safely crossing the street:',
    finish: 'stop',
    usage: { inputTokens: 43, outputTokens: 282 },
  },
  'anthropic/tool-use-parallel.sse': {
    model: 'claude-3-5-sonnet-20241022',
    blocks: ['text', 'tool-call', 'tool-call'],
    textStartsWith: "I'll help you check the weather in San Francisco.",
    tools: [
      { name: 'get_weather', input: { location: 'San Francisco, CA', units: 'c' } },
      { name: 'get_weather', input: { location: 'San Francisco, CA', units: 'f' } },
    ],
    finish: 'tool-calls',
    usage: { inputTokens: 473, outputTokens: 176 },
  },
  'anthropic/tool-use.sse': {
    model: 'claude-3-5-haiku-20241022',
    blocks: ['text', 'tool-call'],
    textStartsWith: "I'll help you find out the current temperature in San Francisco.",
    tools: [{ name: 'get_current_temperature', input: { city: 'San Francisco' } }],
    finish: 'tool-calls',
    usage: { inputTokens: 351, outputTokens: 85 },
  },
};

const files = [
  ...readdirSync(fixtureUrl('openai/'))
    .filter((f) => f.startsWith('chat-') && f.endsWith('.sse'))
    .map((f) => `openai/${f}`),
  ...readdirSync(fixtureUrl('openai-compatible/')).map((f) => `openai-compatible/${f}`),
  ...readdirSync(fixtureUrl('anthropic/')).map((f) => `anthropic/${f}`),
].sort();

const wireOf = (file: string) => readFileSync(fixtureUrl(file), 'utf8');

/** A plain reading of a recording: the JSON of each `data:` line, concatenated per output. */
function reference(file: string): { text: string; reasoning: string } {
  let text = '';
  let reasoning = '';
  for (const line of wireOf(file).split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const json = JSON.parse(line.slice(6));
    if (file.startsWith('anthropic/')) {
      if (json.type !== 'content_block_delta') continue;
      text += json.delta.text ?? '';
      reasoning += json.delta.thinking ?? '';
    } else {
      const delta = json.choices?.find((c: { index: number }) => c.index === 0)?.delta ?? {};
      text += (delta.content ?? '') + (delta.refusal ?? '');
      reasoning += (delta.reasoning_content ?? '') + (delta.reasoning ?? '');
    }
  }
  return { text, reasoning };
}

/** Checks the canonical stream's shape: start first, deltas inside open blocks, one terminal event last. */
function checkWellFormed(events: StreamEvent[]) {
  expect(events[0]?.type).toBe('message-start');
  const open = new Set<number>();
  const seen = new Set<number>();
  events.forEach((event, i) => {
    if (i > 0) expect(event.type).not.toBe('message-start');
    if (event.type === 'block-start') {
      expect(seen.has(event.index)).toBe(false);
      open.add(event.index);
      seen.add(event.index);
    } else if (event.type === 'block-stop') {
      expect(open.delete(event.index)).toBe(true);
    } else if ('index' in event) {
      expect(open.has(event.index)).toBe(true);
    }
    if (event.type === 'finish' || event.type === 'error') expect(i).toBe(events.length - 1);
  });
  const last = events.at(-1)?.type;
  expect(last === 'finish' || last === 'error').toBe(true);
  if (last === 'finish') expect(open.size).toBe(0);
}

function summarize(events: StreamEvent[]): Summary {
  const summary: Summary = { model: '', blocks: [] };
  const byIndex = new Map<number, Block & { args?: string }>();
  for (const event of events) {
    switch (event.type) {
      case 'message-start':
        summary.model = event.model;
        break;
      case 'block-start': {
        const block: Block & { args?: string } = { type: event.block.type };
        if (event.block.type === 'tool-call') {
          block.name = event.block.name;
          block.args = '';
        } else if (event.block.type === 'redacted-reasoning') block.data = event.block.data;
        else block.text = '';
        if (event.block.type === 'reasoning' && event.block.signature)
          block.signature = event.block.signature;
        byIndex.set(event.index, block);
        summary.blocks.push(block);
        break;
      }
      case 'text-delta':
      case 'reasoning-delta':
        byIndex.get(event.index)!.text += event.text;
        break;
      case 'reasoning-signature':
        byIndex.get(event.index)!.signature = (byIndex.get(event.index)!.signature ?? '') + event.signature;
        break;
      case 'tool-call-delta':
        byIndex.get(event.index)!.args += event.argumentsDelta;
        break;
      case 'finish':
        summary.finish = event.reason;
        summary.usage = { ...event.usage };
        break;
      case 'error':
        summary.error = { type: event.error.type, code: event.error.code, message: event.error.message };
        break;
      default:
        break;
    }
  }
  for (const block of summary.blocks as Array<Block & { args?: string }>) {
    if (block.args !== undefined) {
      block.input = JSON.parse(block.args);
      delete block.args;
    }
  }
  return summary;
}

function checkSummary(file: string, summary: Summary) {
  const expected = EXPECTED[file]!;
  const ref = reference(file);
  expect(summary.model).toBe(expected.model);
  expect(summary.blocks.map((b) => b.type)).toEqual(expected.blocks);
  const prose = summary.blocks.filter((b) => b.type === 'text' || b.type === 'refusal');
  const thoughts = summary.blocks.filter((b) => b.type === 'reasoning');
  if (expected.textStartsWith !== undefined) {
    expect(ref.text.startsWith(expected.textStartsWith)).toBe(true);
    expect(prose.map((b) => b.text).join('')).toBe(ref.text);
  }
  if (expected.reasoningStartsWith !== undefined) {
    expect(ref.reasoning.startsWith(expected.reasoningStartsWith)).toBe(true);
    expect(thoughts.map((b) => b.text).join('')).toBe(ref.reasoning);
  }
  if (expected.signatureStartsWith !== undefined) {
    expect(thoughts[0]?.signature?.startsWith(expected.signatureStartsWith)).toBe(true);
  }
  if (expected.redactedStartsWith !== undefined) {
    const data = summary.blocks.filter((b) => b.type === 'redacted-reasoning').map((b) => b.data ?? '');
    expect(data.map((d, i) => d.startsWith(expected.redactedStartsWith![i]!))).toEqual(
      expected.redactedStartsWith.map(() => true),
    );
  }
  const tools = summary.blocks
    .filter((b) => b.type === 'tool-call')
    .map((b) => ({ name: b.name, input: b.input }));
  expect(tools).toEqual(expected.tools ?? []);
  if (expected.error) {
    expect(summary.error).toMatchObject(expected.error);
    expect(summary.finish).toBeUndefined();
  } else {
    expect(summary.error).toBeUndefined();
    expect(summary.finish).toBe(expected.finish);
    expect(summary.usage).toMatchObject(expected.usage ?? {});
  }
}

const kindOf = (file: string): Kind => file.split('/')[0] as Kind;

const MODES: Record<string, ReplayOptions> = {
  whole: {},
  'random chunks with delays': { chunking: { seed: 7, maxChunk: 64, maxDelayMs: 2 } },
  'CRLF in random chunks': { crlf: true, chunking: { seed: 11, maxChunk: 24 } },
};

let upstream: FakeUpstream;
let providers: Record<Kind, Provider>;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  const base = { api_key: 'sk-replay-key' };
  providers = {
    openai: createOpenAIProvider({
      name: 'openai',
      config: providerEntry({ type: 'openai', ...base, base_url: `${upstream.url}/v1` }),
    }),
    'openai-compatible': createOpenAICompatibleProvider({
      name: 'compat',
      config: providerEntry({ type: 'openai-compatible', ...base, base_url: `${upstream.url}/compat/v1` }),
    }),
    anthropic: createAnthropicProvider({
      name: 'claude',
      config: providerEntry({ type: 'anthropic', ...base, base_url: upstream.url }),
    }),
  };
});

afterAll(async () => {
  await Promise.all(Object.values(providers).map((p) => p.close?.()));
  await upstream.close();
});

test('every recording has an expectation', () => {
  expect(files).toEqual(Object.keys(EXPECTED).sort());
});

describe.each(Object.entries(MODES))('replayed %s', (_mode, options) => {
  test.each(files)('%s', async (file) => {
    const wire = wireOf(file);
    upstream.handle((_, res) => replay(res, wire, options));
    const events = await readAll(await providers[kindOf(file)].stream(userRequest('replay'), callContext()));
    checkWellFormed(events);
    checkSummary(file, summarize(events));
  });
});

describe('same-dialect fast path', () => {
  test.each(['openai/chat-n3-multiple-choices.sse', 'openai/chat-logprobs.sse', 'anthropic/thinking.sse'])(
    'streamRaw passes %s through byte for byte',
    async (file) => {
      const wire = readFileSync(fixtureUrl(file));
      upstream.handle((_, res) => replay(res, wire, { chunking: { seed: 3, maxChunk: 200 } }));
      const raw = await providers[kindOf(file)].streamRaw!(userRequest('raw'), callContext());
      expect(raw.dialect).toBe(file.startsWith('anthropic/') ? 'anthropic-messages' : 'openai-chat');
      const chunks = await readAll(raw.body);
      expect(Buffer.concat(chunks).equals(wire)).toBe(true);
    },
  );
});
