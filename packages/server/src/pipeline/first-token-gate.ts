/**
 * The first-token gate: a stream's chunks are held until its first content (text, tool call, reasoning), so
 * that everything that fails before it (an in-band error event, a cut, `first_token_timeout_ms`) can be retried
 * or fall back without the client seeing any of it. What was held is then given out first, and the rest
 * follows from the same source.
 */
import { ProviderError } from '@tokenpak/providers';
import type { ChunkSource } from './client-stream.ts';

export type GateResult = { ok: true; source: ChunkSource } | { ok: false; error: ProviderError };

export interface GateOptions {
  /** `first_token_timeout_ms`: the attempt fails (and may be retried) when no content came by then. */
  timeoutMs: number;
  /** The provider, for the timeout's error. */
  provider: string;
}

type Chunk = Uint8Array | string;

const TIMED_OUT = Symbol('timed out');

export async function passFirstTokenGate(source: ChunkSource, options: GateOptions): Promise<GateResult> {
  const held: Chunk[] = [];
  /** The source's event count after each held chunk. */
  const counts: number[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), options.timeoutMs);
  });
  try {
    for (;;) {
      let chunk: Chunk | undefined | typeof TIMED_OUT;
      const pending = source.next();
      // Settled after a timeout too, when the cancelled source gives up: nobody awaits it then.
      pending.catch(() => {});
      try {
        chunk = await Promise.race([pending, deadline]);
      } catch (error) {
        source.cancel('attempt failed');
        return { ok: false, error: asProviderError(error, options.provider) };
      }
      if (chunk === TIMED_OUT) {
        source.cancel('first token timeout');
        return {
          ok: false,
          error: new ProviderError({
            type: 'timeout',
            code: 'first_token_timeout',
            provider: options.provider,
            message: `upstream ${options.provider} sent no content within ${options.timeoutMs} ms (first_token_timeout_ms)`,
          }),
        };
      }
      const { error } = source.report();
      if (error && !source.contentSeen()) {
        source.cancel('in-stream error before content');
        return { ok: false, error };
      }
      if (chunk !== undefined) {
        held.push(chunk);
        counts.push(source.eventsWritten());
      }
      if (chunk === undefined || source.contentSeen() || source.report().finished) {
        return { ok: true, source: replaying(held, counts, source, chunk === undefined) };
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

/** The held chunks first, then the source's own (none when it already ended). */
function replaying(held: Chunk[], counts: number[], source: ChunkSource, ended: boolean): ChunkSource {
  let next = 0;
  return {
    async next() {
      if (next < held.length) return held[next++];
      return ended ? undefined : source.next();
    },
    cancel: (reason) => source.cancel(reason),
    errorEvent: (error) => source.errorEvent(error),
    contentSeen: () => source.contentSeen(),
    report: () => source.report(),
    // While held chunks are given out, the count as it was after the last one given.
    eventsWritten: () =>
      next < held.length ? (next === 0 ? 0 : (counts[next - 1] as number)) : source.eventsWritten(),
  };
}

function asProviderError(error: unknown, provider: string): ProviderError {
  if (ProviderError.isProviderError(error)) return error.provider ? error : error.with({ provider });
  return new ProviderError({
    type: 'api_error',
    provider,
    message: error instanceof Error ? error.message : String(error),
  });
}
