/**
 * A fake Bedrock Runtime on loopback, on the kit's fake upstream (every request recorded): it checks each
 * request's SigV4 signature (or its Bedrock API key) as AWS would, refusing with AWS's 403 exceptions, and
 * answers ConverseStream with event-stream frames (in any replay mode), Converse with JSON, or an error.
 */
import type { ServerResponse } from 'node:http';
import {
  type FakeUpstream,
  type RecordedRequest,
  type ReplayMode,
  replay,
  startFakeUpstream,
  WHOLE,
} from '@tokenpak/provider-utils/test';
import { type ConverseFixture, type ErrorFixture, encodeFrames, type StreamFixture } from './fixtures.ts';
import { type KnownKey, verifySigV4 } from './verify-sigv4.ts';

export const EVENT_STREAM = 'application/vnd.amazon.eventstream';

export type Answer =
  | { stream: StreamFixture | Uint8Array; mode?: Pick<ReplayMode, 'split' | 'lineEndings'> }
  | { converse: ConverseFixture }
  | { error: ErrorFixture; headers?: Record<string, string> }
  | { handler: (request: RecordedRequest, res: ServerResponse) => void | Promise<void> };

export interface FakeBedrockOptions {
  /** Access key id → its secret (and session token): requests signed with others are refused. */
  keys?: Record<string, KnownKey>;
  /** Bedrock API keys accepted as `Authorization: Bearer …`. */
  apiKeys?: string[];
}

/** An answer for every request, or one chosen per request (e.g. by what its body holds). */
export type Answering = Answer | ((request: RecordedRequest) => Answer);

export interface FakeBedrock extends FakeUpstream {
  /** Answers the next requests (after their authentication) with this. */
  answer(answer: Answering): void;
  /** Verdicts on the requests' signatures, in order (`bearer` for an API key). */
  verdicts: Array<{ ok: boolean; how: 'sigv4' | 'bearer'; errorType?: string }>;
}

function awsError(res: ServerResponse, status: number, errorType: string, message: string, extra = {}) {
  return replay(res, JSON.stringify({ message }), {
    status,
    contentType: 'application/json',
    headers: {
      'x-amzn-errortype': `${errorType}:http://internal.amazon.com/coral/com.amazon.coral.service/`,
      ...extra,
    },
  });
}

export async function startFakeBedrock(options: FakeBedrockOptions = {}): Promise<FakeBedrock> {
  let current: Answering | undefined;
  const verdicts: FakeBedrock['verdicts'] = [];
  const upstream = await startFakeUpstream(async (request, res) => {
    const authorization = String(request.headers.authorization ?? '');
    if (authorization.startsWith('Bearer ')) {
      const ok = (options.apiKeys ?? []).includes(authorization.slice('Bearer '.length));
      verdicts.push({ ok, how: 'bearer', ...(!ok && { errorType: 'UnrecognizedClientException' }) });
      if (!ok)
        return awsError(
          res,
          403,
          'UnrecognizedClientException',
          'Invalid API Key format: Must start with pre-defined prefix',
        );
    } else {
      const verdict = await verifySigV4(request, options.keys ?? {});
      verdicts.push({ ok: verdict.ok, how: 'sigv4', ...(!verdict.ok && { errorType: verdict.errorType }) });
      if (!verdict.ok) return awsError(res, verdict.status, verdict.errorType, verdict.message);
    }
    const answer = typeof current === 'function' ? current(request) : current;
    if (!answer) return awsError(res, 500, 'InternalServerException', 'the fake has no answer');
    if ('handler' in answer) return answer.handler(request, res);
    if ('error' in answer) {
      return awsError(
        res,
        answer.error.status,
        answer.error.errorType.split(':')[0] as string,
        String(answer.error.body.message),
        answer.headers,
      );
    }
    if ('converse' in answer) {
      return replay(res, JSON.stringify(answer.converse.body), { contentType: 'application/json' });
    }
    const bytes = answer.stream instanceof Uint8Array ? answer.stream : encodeFrames(answer.stream.frames);
    return replay(res, bytes, {
      mode: answer.mode ?? WHOLE,
      contentType: EVENT_STREAM,
      headers: { 'x-amzn-requestid': 'f3a9c2e1-0000-4000-8000-000000000000' },
    });
  });
  return Object.assign(upstream, {
    verdicts,
    answer(next: Answering) {
      current = next;
    },
  });
}
