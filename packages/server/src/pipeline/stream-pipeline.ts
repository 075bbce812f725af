/**
 * The translated path: canonical events → watch (usage, first content, errors) → coalesce → client dialect's
 * encoder → framing. The result is a ChunkSource for createClientStream.
 */
import {
  type Dialect,
  type EncodeStreamOptions,
  isDelta,
  mergeDeltas,
  type StreamEvent,
  type WireEvent,
} from '@tokenpak/providers';
import { coalesce } from '@tokenpak/stream-buffer';
import type { Framing } from '../framing/framing.ts';
import type { ChunkSource } from './client-stream.ts';
import type { RequestTrace } from './request-trace.ts';

export interface EventPipelineOptions {
  dialect: Dialect;
  framing: Framing;
  encoder: TextEncoder;
  trace: RequestTrace;
  encode: EncodeStreamOptions;
  /** 1 (or less) skips the coalescer entirely. */
  bufferTokens: number;
  flushIntervalMs: number;
}

/** Records what the request log and metrics need; passes every event on unchanged. */
export function watchEvents(trace: RequestTrace): TransformStream<StreamEvent, StreamEvent> {
  return new TransformStream({
    transform(event, controller) {
      switch (event.type) {
        case 'text-delta':
        case 'tool-call-delta':
        case 'reasoning-delta':
          trace.contentSeen = true;
          break;
        case 'message-start':
          if (event.usage) trace.addUsage(event.usage);
          break;
        case 'usage':
        case 'finish':
          trace.addUsage(event.usage);
          break;
        case 'error':
          trace.streamError = event.error;
          break;
      }
      controller.enqueue(event);
    },
  });
}

export function eventPipeline(
  events: ReadableStream<StreamEvent>,
  options: EventPipelineOptions,
): ChunkSource {
  const { dialect, framing, encoder, trace } = options;
  let canonical = events.pipeThrough(watchEvents(trace));
  if (options.bufferTokens > 1) {
    canonical = canonical.pipeThrough(
      coalesce<StreamEvent>({
        bufferTokens: options.bufferTokens,
        flushIntervalMs: options.flushIntervalMs,
        isCoalescable: isDelta,
        merge: (a, b) => (isDelta(a) && isDelta(b) ? mergeDeltas(a, b) : undefined),
      }),
    );
  }
  const wire = canonical.pipeThrough(dialect.encodeStream(options.encode));
  return wireSource(wire, framing, dialect, encoder);
}

/** Frames wire events one by one: one string concat and one encode per event. */
export function wireSource(
  wire: ReadableStream<WireEvent>,
  framing: Framing,
  dialect: Dialect,
  encoder: TextEncoder,
): ChunkSource {
  const reader = wire.getReader();
  let id = 0;
  return {
    async next() {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        const text = framing.format(value, id + 1);
        if (text !== undefined) {
          id++;
          return encoder.encode(text);
        }
      }
    },
    cancel(reason) {
      reader.cancel(reason).catch(() => {});
    },
    errorEvent(error) {
      const text = framing.format(dialect.encodeErrorEvent(error), id + 1);
      if (text === undefined) return undefined;
      id++;
      return encoder.encode(text);
    },
  };
}
