/**
 * The four OpenAI Responses API recordings (fixtures/openai/responses-*.sse) through the kit's fixture
 * replayer: served in every replay mode, fetched with the undici client and read back with `parseSse`. No
 * Responses dialect exists yet; this pins what the recordings say, read off the files themselves: the event
 * types in order (`event:` names equal the data's `type`), the final usage, and the error recording's code.
 */
import {
  byteReaderToWeb,
  createUpstreamClient,
  openBytes,
  parseSse,
  type UpstreamClient,
} from '@tokenpak/provider-utils';
import {
  type FixtureUpstream,
  loadFixtures,
  readAll,
  replayModes,
  startFixtureUpstream,
} from '@tokenpak/provider-utils/test';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

type Json = Record<string, any>;

const r = (name: string) => `response.${name}`;
const repeat = (name: string, times: number) => Array<string>(times).fill(r(name));

interface Expected {
  types: string[];
  /** `response` of the last event (response.completed / response.failed). */
  status: 'completed' | 'failed';
  model: string;
  usage: Record<string, unknown> | null;
  /** The streamed deltas (output_text or function_call_arguments), joined. */
  deltas: string;
  error?: { type: string; code: string };
}

// Read off fixtures/openai/responses-*.sse (see fixtures/README.md in provider-utils for their sources).
const EXPECTED: Record<string, Expected> = {
  'responses-error-insufficient-quota.sse': {
    types: [r('created'), r('in_progress'), 'error', r('failed')],
    status: 'failed',
    model: 'gpt-5-nano-2025-08-07',
    usage: null,
    deltas: '',
    error: { type: 'insufficient_quota', code: 'insufficient_quota' },
  },
  'responses-function-call.sse': {
    types: [
      r('created'),
      r('in_progress'),
      r('output_item.added'),
      ...repeat('function_call_arguments.delta', 5),
      r('function_call_arguments.done'),
      r('output_item.done'),
      r('completed'),
    ],
    status: 'completed',
    model: 'gpt-4o-2024-08-06',
    usage: {
      input_tokens: 255,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 16,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 271,
    },
    deltas: '{"country":"France"}',
  },
  'responses-reasoning-function-call.sse': {
    types: [
      r('created'),
      r('in_progress'),
      r('output_item.added'), // the reasoning item (encrypted, no summary deltas)
      r('output_item.done'),
      r('output_item.added'), // the function call
      ...repeat('function_call_arguments.delta', 6),
      r('function_call_arguments.done'),
      r('output_item.done'),
      r('completed'),
    ],
    status: 'completed',
    model: 'gpt-5-2025-08-07',
    usage: {
      input_tokens: 53,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 469,
      output_tokens_details: { reasoning_tokens: 448 },
      total_tokens: 522,
    },
    deltas: '{"result":6666}',
  },
  'responses-text.sse': {
    types: [
      r('created'),
      r('in_progress'),
      r('output_item.added'),
      r('content_part.added'),
      ...repeat('output_text.delta', 7),
      r('output_text.done'),
      r('content_part.done'),
      r('output_item.done'),
      r('completed'),
    ],
    status: 'completed',
    model: 'gpt-4o-2024-08-06',
    usage: {
      input_tokens: 278,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 9,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 287,
    },
    deltas: 'The capital of France is Paris.',
  },
};

const fixtures = loadFixtures(new URL('./fixtures/openai/', import.meta.url), '.sse').filter((f) =>
  f.name.startsWith('responses-'),
);
const modes = replayModes({ seeds: [1, 2], maxChunk: 64 });

let upstream: FixtureUpstream;
let client: UpstreamClient;

beforeAll(async () => {
  upstream = await startFixtureUpstream();
  client = createUpstreamClient({
    provider: 'openai',
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

test('every Responses recording has its expectations', () => {
  expect(fixtures.map((f) => f.name)).toEqual(Object.keys(EXPECTED).sort());
});

describe.each(fixtures)('$name', (fixture) => {
  const expected = EXPECTED[fixture.name] as Expected;

  test.each(modes)('$name', async (mode) => {
    upstream.serve(fixture, { mode });
    const before = upstream.requests.length;
    const response = await client.send({
      path: '/v1/responses',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', stream: true, input: 'hi' }),
      signal: new AbortController().signal,
    });
    expect(upstream.requests[before]?.json).toEqual({ model: 'gpt-4o', stream: true, input: 'hi' });
    expect(response.status).toBe(200);
    const messages = await readAll(parseSse(byteReaderToWeb(openBytes(response))));
    const data = messages.map((m) => JSON.parse(m.data) as Json);
    expect(messages.map((m) => m.event)).toEqual(expected.types);
    expect(data.map((d) => d.type)).toEqual(expected.types);
    expect(messages.some((m) => m.data === '[DONE]')).toBe(false);

    const last = data.at(-1)?.response;
    expect(last?.status).toBe(expected.status);
    expect(last?.model).toBe(expected.model);
    expect(last?.usage).toEqual(expected.usage);
    expect(
      data
        .filter((d) => String(d.type).endsWith('.delta'))
        .map((d) => d.delta)
        .join(''),
    ).toBe(expected.deltas);
    if (expected.deltas.startsWith('{')) {
      const done = data.find((d) => d.type === 'response.function_call_arguments.done');
      expect(done?.arguments).toBe(expected.deltas);
    }
    if (expected.error) {
      const error = data.find((d) => d.type === 'error')?.error;
      expect(error).toMatchObject(expected.error);
      expect(last?.error?.code).toBe(expected.error.code);
    }
  });
});
