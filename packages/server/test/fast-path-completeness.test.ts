/**
 * The same-dialect fast path against upstreams that misbehave: it must end as the translated path does (same
 * answer for the client, same log outcome). Each case runs twice: through an alias equal to the upstream model
 * (fast path) and through a different alias of the same upstream model (translated path).
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { recipeConfig } from './helpers/config.ts';
import { type FakeUpstream, fixture, NON_STREAM_TEXT, startFakeUpstream } from './helpers/fake-upstream.ts';
import { anthropicText, fixtureText, openaiText, type ParsedSse, parseSseText } from './helpers/sse.ts';
import { MODES, post, startTarget, type Target } from './helpers/targets.ts';

const OPENAI_FIXTURE = 'openai/chat-text-include-usage.sse';
const ANTHROPIC_FIXTURE = 'anthropic/text.sse';
const eventCount = (path: string): number =>
  fixture(path)
    .split('\n\n')
    .filter((e) => e.trim()).length;

/** Upstream model ids, each served by a fast alias (the id itself) and a translated one (`tr-<n>`, coalesced). */
const UPSTREAM = {
  openaiCut: `truncate:5:${OPENAI_FIXTURE}`,
  openaiEmpty: `truncate:0:${OPENAI_FIXTURE}`,
  openaiNoDone: `truncate:${eventCount(OPENAI_FIXTURE) - 1}:${OPENAI_FIXTURE}`,
  anthropicCut: `truncate:6:${ANTHROPIC_FIXTURE}`,
  anthropicEmpty: `truncate:0:${ANTHROPIC_FIXTURE}`,
  openaiNoFinalBlank: `no-final-blank:${OPENAI_FIXTURE}`,
  anthropicNoFinalBlank: `no-final-blank:${ANTHROPIC_FIXTURE}`,
  openaiJson: 'json-stream:openai',
  anthropicJson: 'json-stream:anthropic',
} as const;
type Case = keyof typeof UPSTREAM;

function models(): string {
  return Object.entries(UPSTREAM)
    .map(([name, id]) => {
      const provider = name.startsWith('openai') ? 'openai' : 'anthropic';
      return (
        `  "${id}": { provider: ${provider}, buffer_tokens: 1 }\n` +
        `  tr-${name}: { provider: ${provider}, model: "${id}", buffer_tokens: 2 }`
      );
    })
    .join('\n');
}

/** Recordings with chunks that have no choices besides the usage chunk (served as is: fast path). */
const CHOICELESS = [
  'openai/chat-azure-content-filter-results.sse',
  'openai/chat-gpt5-moderation-trailing-chunk.sse',
];
const CHOICELESS_MODELS = CHOICELESS.map(
  (path) => `  "fixture:${path}": { provider: openai, buffer_tokens: 1 }`,
);

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());

function lastEvent(body: string): ParsedSse {
  return parseSseText(body).events.at(-1) as ParsedSse;
}

describe.each(MODES)('fast path completeness (%s)', (mode) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget(
      mode,
      recipeConfig(upstream.url, `${models()}\n${CHOICELESS_MODELS.join('\n')}`),
    );
  });
  afterAll(() => target.close());

  /** Streams `model` on the case's dialect; returns the body and the log line. */
  async function stream(name: Case, model: string) {
    const anthropic = name.startsWith('anthropic');
    const res = await post(target, anthropic ? '/v1/messages' : '/v1/chat/completions', {
      model,
      stream: true,
      max_tokens: 10,
      ...(!anthropic && { stream_options: { include_usage: true } }),
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.status).toBe(200);
    const body = await res.text();
    return { body, log: target.logs.at(-1)! };
  }

  /** Both paths of one case, checked to be the fast (unless `fast` is false) and the translated one. */
  async function bothPaths(name: Case, fastPath = true) {
    const fast = await stream(name, UPSTREAM[name]);
    expect(fast.log.fast_path).toBe(fastPath);
    const translated = await stream(name, `tr-${name}`);
    expect(translated.log.fast_path).toBe(false);
    return { fast, translated };
  }

  test.each<Case>(['openaiEmpty', 'anthropicEmpty'])(
    'an upstream stream that ends before any content (%s) is an error before the first byte, the same on both paths',
    async (name) => {
      const path = name.startsWith('openai') ? '/v1/chat/completions' : '/v1/messages';
      const answers = [];
      for (const model of [UPSTREAM[name], `tr-${name}`]) {
        const res = await post(target, path, {
          model,
          stream: true,
          max_tokens: 64,
          messages: [{ role: 'user', content: 'Hi' }],
        });
        // Nothing reached the client: the first-token gate answers with the error itself (retries are off).
        expect(res.status).toBe(502);
        answers.push({ body: await res.json(), log: target.logs.at(-1)! });
      }
      for (const { body, log } of answers) {
        expect(log.outcome).toBe('upstream_error');
        expect(log.attempts).toBe(1);
        expect(body.error.message).toMatch(/^upstream (closed the )?stream/);
      }
      expect(answers[0]!.body).toEqual(answers[1]!.body);
    },
  );

  test.each<Case>(['openaiCut', 'anthropicCut'])(
    'an upstream stream that ends before its terminal event (%s) ends with an error event, outcome upstream_error',
    async (name) => {
      const { fast, translated } = await bothPaths(name);
      for (const { body, log } of [fast, translated]) {
        expect(log.outcome).toBe('upstream_error');
        expect(JSON.parse(lastEvent(body).data).error.message).toMatch(/^upstream (closed the )?stream/);
      }
      // The same error event on both paths (ids aside: the translated path numbers its events).
      expect(lastEvent(fast.body).event).toBe(lastEvent(translated.body).event);
      expect(JSON.parse(lastEvent(fast.body).data)).toEqual(JSON.parse(lastEvent(translated.body).data));
      if (name.endsWith('Cut')) {
        // The events before the cut still reached the client, untouched.
        const events = fixture(name.startsWith('openai') ? OPENAI_FIXTURE : ANTHROPIC_FIXTURE).split('\n\n');
        const cut = Number(UPSTREAM[name].split(':')[1]);
        expect(fast.body.startsWith(events.slice(0, cut).join('\n\n') + '\n\n')).toBe(true);
      }
    },
  );

  test('an OpenAI stream that ends after its finish_reason without [DONE] is a success on both paths', async () => {
    const { fast, translated } = await bothPaths('openaiNoDone');
    expect(fast.log.outcome).toBe('ok');
    expect(translated.log.outcome).toBe('ok');
    expect(fast.body).not.toContain('"error"');
    expect(fast.body).toContain('"finish_reason":"stop"');
  });

  test.each<[Case, string]>([
    ['openaiNoFinalBlank', OPENAI_FIXTURE],
    ['anthropicNoFinalBlank', ANTHROPIC_FIXTURE],
  ])(
    'a last event without its blank line before the end (%s) is forwarded completed, outcome ok',
    async (name, path) => {
      const recorded = fixture(path);
      expect(recorded.endsWith('\n\n')).toBe(true);
      const { fast, translated } = await bothPaths(name);
      expect(fast.log.outcome).toBe('ok');
      expect(translated.log.outcome).toBe('ok');
      // The client gets the recording as it would have been with the blank line.
      expect(fast.body).toBe(recorded);
    },
  );

  test.each(CHOICELESS)(
    'OpenAI client without include_usage (%s): no chunk without choices is forwarded',
    async (path) => {
      const model = `fixture:${path}`;
      const recorded = fixture(path);
      const choiceless = recorded.split('\n\n').filter((e) => /"choices": ?\[\]/.test(e)).length;
      expect(choiceless).toBeGreaterThan(0);
      const res = await post(target, '/v1/chat/completions', {
        model,
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      });
      const body = await res.text();
      const log = target.logs.at(-1)!;
      expect(log.fast_path).toBe(true);
      expect(log.outcome).toBe('ok');
      const chunks = parseSseText(body)
        .events.filter((e) => e.data !== '[DONE]')
        .map((e) => JSON.parse(e.data));
      const recordedChunks = parseSseText(recorded).events.filter((e) => e.data !== '[DONE]');
      expect(chunks.length).toBe(recordedChunks.length - choiceless);
      for (const chunk of chunks) expect(chunk.choices.length).toBeGreaterThan(0);
      expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);

      // What crashed before: client code that reads choices[0] of every chunk.
      const openai = new OpenAI({
        baseURL: `${target.url}/v1`,
        apiKey: 'k',
        fetch: target.fetch,
        maxRetries: 0,
      });
      let text = '';
      const stream = await openai.chat.completions.create({
        model,
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      });
      for await (const chunk of stream) text += chunk.choices[0]!.delta.content ?? '';
      expect(text).toBe(fixtureText(recorded, 'openai'));
    },
  );

  test.each(CHOICELESS)('OpenAI client with include_usage (%s): forwarded untouched', async (path) => {
    const res = await post(target, '/v1/chat/completions', {
      model: `fixture:${path}`,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(await res.text()).toBe(fixture(path));
    expect(target.logs.at(-1)!.fast_path).toBe(true);
  });

  test.each<Case>(['openaiJson', 'anthropicJson'])(
    'an upstream that answers the stream with one JSON body (%s) is served as a simulated stream, as translated',
    async (name) => {
      const { fast, translated } = await bothPaths(name, false);
      const text = name === 'openaiJson' ? openaiText : anthropicText;
      for (const { body, log } of [fast, translated]) {
        expect(log.outcome).toBe('ok');
        expect(text(parseSseText(body).events)).toBe(NON_STREAM_TEXT);
      }
      // The SDKs read it as a stream.
      const client = { baseURL: target.url, apiKey: 'k', fetch: target.fetch, maxRetries: 0 };
      if (name === 'openaiJson') {
        const openai = new OpenAI({ ...client, baseURL: `${target.url}/v1` });
        let streamed = '';
        const stream = await openai.chat.completions.create({
          model: UPSTREAM[name],
          stream: true,
          messages: [{ role: 'user', content: 'hi' }],
        });
        for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
        expect(streamed).toBe(NON_STREAM_TEXT);
      } else {
        const message = await new Anthropic(client).messages
          .stream({ model: UPSTREAM[name], max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
          .finalMessage();
        expect(message.content.map((block) => (block.type === 'text' ? block.text : block.type))).toEqual([
          NON_STREAM_TEXT,
        ]);
      }
    },
  );
});
