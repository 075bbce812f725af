/**
 * Every ConverseStream fixture (test/fixtures/stream) through the bedrock provider over real HTTP: the fake
 * Bedrock checks each request's SigV4 signature and answers with the fixture's frames, encoded by AWS's codec,
 * whole, cut at random (several seeds) and at every byte. The expected answer is read off the fixture: text,
 * reasoning and its signature, redacted reasoning, tool calls (fragments joined), usage, stop reason, or the
 * in-band exception's error, with what was streamed before it.
 */
import type { Provider } from '@tokenpak/provider';
import {
  assertCanonicalOrder,
  callContext,
  collectEvents,
  providerEntry,
  replayModes,
  userRequest,
} from '@tokenpak/provider-utils/test';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import bedrock, { encodeModelId } from '../src/index.ts';
import { type FakeBedrock, startFakeBedrock } from './helpers/fake-bedrock.ts';
import { type StreamFixture, streamFixtures } from './helpers/fixtures.ts';

const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const fixtures = streamFixtures();
const modes = replayModes({ seeds: [1, 2, 3], maxChunk: 48, flipLineEndings: false });

/** Bedrock stop reason → canonical, as the README documents it. */
const REASONS: Record<string, string> = { end_turn: 'stop', tool_use: 'tool-calls', max_tokens: 'length' };
/** In-band exception → canonical error, as the README documents it. */
const EXCEPTIONS: Record<string, object> = {
  throttlingException: { type: 'rate_limit', status: 429, retryable: true, code: 'ThrottlingException' },
  modelStreamErrorException: {
    type: 'api_error',
    status: 424,
    retryable: true,
    code: 'ModelStreamErrorException',
  },
};

/** What the fixture says the canonical answer is, read off its frames (not with the package's decoder). */
function expected(fixture: StreamFixture) {
  let text = '';
  let reasoning = '';
  const signatures: string[] = [];
  const redacted: string[] = [];
  const calls = new Map<number, { id: string; name: string; input: string }>();
  let stopReason: string | undefined;
  let usage: Record<string, number> | undefined;
  let exception: { name: string; message: string } | undefined;
  for (const frame of fixture.frames) {
    const p = frame.payload as any;
    if ('exception' in frame) {
      exception = { name: frame.exception, message: p.message };
      break;
    }
    if (frame.event === 'contentBlockStart' && p.start?.toolUse) {
      calls.set(p.contentBlockIndex, {
        id: p.start.toolUse.toolUseId,
        name: p.start.toolUse.name,
        input: '',
      });
    }
    if (frame.event === 'contentBlockDelta') {
      text += p.delta.text ?? '';
      reasoning += p.delta.reasoningContent?.text ?? '';
      if (p.delta.reasoningContent?.signature) signatures.push(p.delta.reasoningContent.signature);
      if (p.delta.reasoningContent?.redactedContent) redacted.push(p.delta.reasoningContent.redactedContent);
      if (p.delta.toolUse)
        (calls.get(p.contentBlockIndex) as { input: string }).input += p.delta.toolUse.input;
    }
    if (frame.event === 'messageStop') stopReason = p.stopReason;
    if (frame.event === 'metadata') {
      const u = p.usage;
      usage = {
        inputTokens: u.inputTokens + (u.cacheReadInputTokens ?? 0) + (u.cacheWriteInputTokens ?? 0),
        outputTokens: u.outputTokens,
        ...(u.cacheReadInputTokens !== undefined && { cacheReadTokens: u.cacheReadInputTokens }),
        ...(u.cacheWriteInputTokens !== undefined && { cacheWriteTokens: u.cacheWriteInputTokens }),
      };
    }
  }
  return {
    text,
    reasoning,
    signatures,
    redacted,
    calls: [...calls.values()].map((c) => ({ id: c.id, name: c.name, input: JSON.parse(c.input) })),
    finishReason: stopReason && REASONS[stopReason],
    usage,
    exception,
  };
}

let upstream: FakeBedrock;
let provider: Provider;

beforeAll(async () => {
  upstream = await startFakeBedrock({ keys: { [ACCESS_KEY]: { secretAccessKey: SECRET } } });
  provider = await bedrock.create({
    name: 'aws',
    config: providerEntry({
      type: 'bedrock',
      base_url: upstream.url,
      region: 'eu-west-3',
      access_key_id: ACCESS_KEY,
      secret_access_key: SECRET,
    }),
  });
});

afterAll(async () => {
  await provider.close?.();
  await upstream.close();
});

test('the fixtures are here', () => {
  expect(fixtures.map((f) => f.name)).toEqual([
    'max-tokens',
    'model-stream-error-after-content',
    'reasoning',
    'text',
    'throttling-before-content',
    'tool-use-parallel',
  ]);
});

describe.each(fixtures)('$name', (fixture) => {
  const want = expected(fixture);

  test.each(modes)('$name', async (mode) => {
    upstream.answer({ stream: fixture, mode });
    const before = upstream.requests.length;
    const { events, summary } = await collectEvents(
      await provider.stream(userRequest('replay'), callContext({ model: fixture.model })),
    );
    assertCanonicalOrder(events, { denseIndices: true });
    expect(upstream.verdicts.at(-1)).toEqual({ ok: true, how: 'sigv4' });
    expect(upstream.requests[before]?.url).toBe(`/model/${encodeModelId(fixture.model)}/converse-stream`);

    expect(summary.text).toBe(want.text);
    expect(summary.reasoning).toBe(want.reasoning);
    const reasoningBlocks = summary.blocks.filter((b) => b.type === 'reasoning');
    expect(reasoningBlocks.map((b) => b.signature).filter(Boolean)).toEqual(want.signatures);
    expect(summary.blocks.flatMap((b) => (b.type === 'redacted-reasoning' ? [b.data] : []))).toEqual(
      want.redacted,
    );
    expect(summary.toolCalls.map(({ id, name, input }) => ({ id, name, input }))).toEqual(want.calls);

    if (want.exception) {
      expect(summary.finishReason).toBeUndefined();
      expect(summary.error).toMatchObject({
        ...EXCEPTIONS[want.exception.name],
        provider: 'aws',
        message: `bedrock failed during the stream: ${want.exception.message}`,
      });
    } else {
      expect(summary.error).toBeUndefined();
      expect(summary.finishReason).toBe(want.finishReason);
      expect(summary.usage).toEqual(want.usage);
    }
  });
});
