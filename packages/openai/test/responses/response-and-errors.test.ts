/** Non-streamed bodies both ways, errors both ways, and the passthrough watcher over the recordings. */
import { ProviderError } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import { openaiResponses } from '../../src/index.ts';
import { RECORDINGS, readRecording } from './helpers.ts';

/** The `response` object of a recording's last event (a complete non-streamed body). */
function finalResponseOf(name: string) {
  const data = readRecording(name)
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice(6)));
  return data.at(-1).response;
}

describe('parseResponse', () => {
  test('the text recording’s final response object', () => {
    expect(openaiResponses.parseResponse(finalResponseOf('responses-text.sse'))).toEqual({
      id: 'resp_67e554a21aa88191b65876ac5e5bbe0406c52f0e511c76ed',
      model: 'gpt-4o-2024-08-06',
      content: [{ type: 'text', text: 'The capital of France is Paris.' }],
      finishReason: 'stop',
      usage: { inputTokens: 278, outputTokens: 9, cacheReadTokens: 0, reasoningTokens: 0 },
    });
  });

  test('reasoning and a function call', () => {
    const response = openaiResponses.parseResponse(finalResponseOf('responses-reasoning-function-call.sse'));
    expect(response.content.map((block) => block.type)).toEqual(['reasoning', 'tool-call']);
    expect(response.content[1]).toEqual({
      type: 'tool-call',
      id: 'call_CWXgs68YprAjp6t0371hiPOI',
      name: 'final_result',
      arguments: '{"result":6666}',
    });
    expect(response.finishReason).toBe('tool-calls');
    expect(response.usage.reasoningTokens).toBe(448);
  });

  test('a failed response throws its error; an incomplete one maps its reason', () => {
    expect(() =>
      openaiResponses.parseResponse(finalResponseOf('responses-error-insufficient-quota.sse')),
    ).toThrow(expect.objectContaining({ type: 'rate_limit', code: 'insufficient_quota', retryable: false }));
    const incomplete = {
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      output: [],
    };
    expect(openaiResponses.parseResponse(incomplete).finishReason).toBe('length');
    expect(() => openaiResponses.parseResponse([])).toThrow(
      expect.objectContaining({ type: 'bad_upstream' }),
    );
  });
});

describe('encodeResponse', () => {
  test('incomplete, refusal, usage', () => {
    const body = openaiResponses.encodeResponse(
      {
        id: 'x',
        model: 'upstream',
        content: [
          { type: 'text', text: 'Part' },
          { type: 'refusal', text: 'No more.' },
        ],
        finishReason: 'length',
        usage: { inputTokens: 3, outputTokens: 2 },
      },
      { model: 'alias', id: 'resp_1' },
    );
    expect(body).toMatchObject({
      id: 'resp_1',
      object: 'response',
      model: 'alias',
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      output: [
        {
          type: 'message',
          status: 'incomplete',
          role: 'assistant',
          content: [
            { type: 'output_text', text: 'Part', annotations: [] },
            { type: 'refusal', refusal: 'No more.' },
          ],
        },
      ],
      usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5 },
    });
  });
});

describe('errors', () => {
  test('encodeError: OpenAI’s shape, 529 served as 503, codes Responses clients act on', () => {
    expect(
      openaiResponses.encodeError(
        new ProviderError({ type: 'invalid_request', param: 'input', message: 'input: bad' }),
      ),
    ).toEqual({
      status: 400,
      body: { error: { message: 'input: bad', type: 'invalid_request_error', param: 'input', code: null } },
    });
    expect(
      openaiResponses.encodeError(new ProviderError({ type: 'overloaded', message: 'busy' })).status,
    ).toBe(503);
    const tooLong = openaiResponses.encodeError(
      new ProviderError({
        type: 'invalid_request',
        message: 'prompt is too long: 210000 tokens > 200000 maximum',
      }),
    );
    expect(tooLong.body).toMatchObject({ error: { code: 'context_length_exceeded' } });
  });

  test('encodeErrorEvent: an `error` event the SDK throws on', () => {
    const event = openaiResponses.encodeErrorEvent(
      new ProviderError({ type: 'network', message: 'upstream hung up' }),
    );
    expect(event.event).toBe('error');
    expect(JSON.parse(event.data)).toEqual({
      type: 'error',
      code: 'server_error',
      message: 'upstream hung up',
      param: null,
      error: { message: 'upstream hung up', type: 'server_error', param: null, code: 'server_error' },
    });
  });

  test('parseError: an HTTP 429 insufficient_quota body', () => {
    const error = openaiResponses.parseError(
      429,
      '{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}',
      'openai',
    );
    expect(error).toMatchObject({
      type: 'rate_limit',
      status: 429,
      code: 'insufficient_quota',
      retryable: false,
      provider: 'openai',
    });
  });

  test.each([
    [{ code: 'rate_limit_exceeded', message: 'Please try again in 1.5s' }, 'rate_limit', 429, true],
    [{ code: 'context_length_exceeded', message: 'too long' }, 'invalid_request', 400, false],
    [{ code: 'server_error', message: 'oops' }, 'api_error', 500, true],
  ])('a response.failed error %o → %s', (wireError, type, status, retryable) => {
    const data = JSON.stringify({
      type: 'response.failed',
      response: { status: 'failed', error: wireError },
    });
    const stage = openaiResponses.createStreamDecoder();
    const out: unknown[] = [];
    stage.push({ event: 'response.failed', data }, (e) => out.push(e));
    expect(out.at(-1)).toMatchObject({
      type: 'error',
      error: { type, status, retryable, code: wireError.code },
    });
  });
});

describe('passthrough watcher over the recordings', () => {
  test.each(RECORDINGS)('%s', (name) => {
    const bytes = new TextEncoder().encode(readRecording(name));
    const watcher = openaiResponses.createPassthroughWatcher!({ provider: 'openai', includeUsage: false });
    expect(watcher.inspect(bytes, bytes.length)).toBeUndefined();
    const report = watcher.report();
    expect(report.finished).toBe(true);
    if (name.includes('insufficient-quota')) {
      expect(report.contentSeen).toBe(false);
      expect(report.error).toMatchObject({
        type: 'rate_limit',
        code: 'insufficient_quota',
        provider: 'openai',
      });
    } else {
      expect(report.contentSeen).toBe(true);
      expect(report.error).toBeUndefined();
    }
    if (name === 'responses-text.sse') {
      expect(report.usage).toEqual({
        inputTokens: 278,
        outputTokens: 9,
        cacheReadTokens: 0,
        reasoningTokens: 0,
      });
    }
    if (name === 'responses-reasoning-function-call.sse') expect(report.usage.reasoningTokens).toBe(448);
  });

  test('a stream cut before its terminal event is not finished', () => {
    const text = readRecording('responses-text.sse');
    const bytes = new TextEncoder().encode(text.slice(0, text.lastIndexOf('event: ')));
    const watcher = openaiResponses.createPassthroughWatcher!({ provider: 'openai', includeUsage: true });
    watcher.inspect(bytes, bytes.length);
    expect(watcher.report()).toMatchObject({ finished: false, contentSeen: true });
    expect(watcher.unfinishedError()).toMatchObject({ type: 'network' });
  });
});
