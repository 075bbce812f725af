/**
 * A fake upstream that answers every request with one recording, replayed over real HTTP on loopback in a
 * replay mode (whole, random chunks, every byte, flipped line endings). It records each request like
 * `startFakeUpstream` (method, url, headers, body and its JSON), so a test can check what a provider sent.
 */

import { type FakeUpstream, type Handler, replay, startFakeUpstream } from './fake-upstream.ts';
import type { Fixture } from './load-fixture.ts';
import { type ReplayMode, WHOLE } from './replay-modes.ts';

export interface ServeOptions {
  /** Default: whole, as recorded. */
  mode?: Pick<ReplayMode, 'split' | 'lineEndings'>;
  /** Default 200. */
  status?: number;
  /** Extra response headers (a `content-type` here wins over the fixture's). */
  headers?: Record<string, string>;
}

export interface FixtureUpstream extends FakeUpstream {
  /** Answers the next requests with this recording (and mode). */
  serve(fixture: Fixture, options?: ServeOptions): void;
}

/** The handler that replays `fixture`: for `startFakeUpstream(handler)` or `upstream.handle(handler)`. */
export function fixtureHandler(fixture: Fixture, options: ServeOptions = {}): Handler {
  return (_request, res) =>
    replay(res, fixture.body, {
      mode: options.mode ?? WHOLE,
      status: options.status ?? 200,
      contentType: fixture.contentType,
      ...(options.headers && { headers: options.headers }),
    });
}

/** Starts a fake upstream on 127.0.0.1 (port 0); without a fixture it answers 500 until `serve` is called. */
export async function startFixtureUpstream(
  fixture?: Fixture,
  options?: ServeOptions,
): Promise<FixtureUpstream> {
  const upstream = await startFakeUpstream(fixture && fixtureHandler(fixture, options));
  return Object.assign(upstream, {
    serve(next: Fixture, nextOptions?: ServeOptions) {
      upstream.handle(fixtureHandler(next, nextOptions));
    },
  });
}
