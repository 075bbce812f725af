/**
 * Upstream Anthropic SSE → canonical events.
 *
 *   message_start        → message-start (id, model, usage so far)
 *   content_block_start  → block-start, using Anthropic's index (text, tool_use, thinking, redacted_thinking)
 *   content_block_delta  → text-delta / tool-call-delta / reasoning-delta / reasoning-signature
 *   content_block_stop   → block-stop
 *   message_delta        → usage (stop_reason kept for the finish)
 *   message_stop         → finish with the merged usage
 *   error                → error (e.g. overloaded_error → 'overloaded', 529, retryable)
 *
 * Ignored: `ping`, `citations_delta` (the cited text also arrives as text_delta), unknown event types, and
 * blocks canonical cannot carry (server_tool_use, web_search_tool_result, mcp_tool_use...) with their
 * deltas, which leaves gaps in the block indices. A stream that ends without message_stop ends with an
 * error ('network'); a data line that is not JSON ends it with 'bad_upstream'. Nothing follows an error.
 */

import type { BlockInfo, SseMessage, StreamEvent } from '@tokenpak/provider';
import { type Emit, ProviderError, type StreamStage, stageToTransformStream } from '@tokenpak/provider';
import { errorFromAnthropic, notJsonEventError } from './errors.ts';
import { finishReasonFromAnthropic } from './map-stop-reason.ts';
import { absorbUsage, type RawAnthropicUsage, usageFromRaw } from './map-usage.ts';
import type { AnthropicStreamEvent } from './wire-types.ts';

function blockInfo(block: Record<string, unknown>): BlockInfo | undefined {
  switch (block.type) {
    case 'text':
      return { type: 'text' };
    case 'tool_use':
      return { type: 'tool-call', id: String(block.id ?? ''), name: String(block.name ?? '') };
    case 'thinking':
      return typeof block.signature === 'string' && block.signature
        ? { type: 'reasoning', signature: block.signature }
        : { type: 'reasoning' };
    case 'redacted_thinking':
      return { type: 'redacted-reasoning', data: String(block.data ?? '') };
    default:
      return undefined;
  }
}

/** The decoder as a synchronous stage: one SSE message in, canonical events out. */
export function createStreamDecoder(): StreamStage<SseMessage, StreamEvent> {
  const usage: RawAnthropicUsage = {};
  /** Anthropic indices of blocks we do not carry: their deltas and stop are dropped. */
  let skipped: Set<number> | undefined;
  let stopReason: string | null | undefined;
  let stopSequence: string | null | undefined;
  let done = false;

  function fail(emit: Emit<StreamEvent>, error: ProviderError): void {
    done = true;
    emit({ type: 'error', error });
  }

  function start(event: AnthropicStreamEvent, emit: Emit<StreamEvent>): void {
    const index = event.index ?? 0;
    const block = event.content_block ?? {};
    const info = blockInfo(block);
    if (!info) {
      skipped ??= new Set();
      skipped.add(index);
      return;
    }
    emit({ type: 'block-start', index, block: info });
    // Content that comes in the start event itself (normally empty).
    if (info.type === 'text' && typeof block.text === 'string' && block.text) {
      emit({ type: 'text-delta', index, text: block.text });
    } else if (info.type === 'reasoning' && typeof block.thinking === 'string' && block.thinking) {
      emit({ type: 'reasoning-delta', index, text: block.thinking });
    } else if (info.type === 'tool-call') {
      const input = block.input;
      if (input && typeof input === 'object' && Object.keys(input).length > 0) {
        emit({ type: 'tool-call-delta', index, argumentsDelta: JSON.stringify(input) });
      }
    }
  }

  function delta(event: AnthropicStreamEvent, emit: Emit<StreamEvent>): void {
    const index = event.index ?? 0;
    if (skipped?.has(index)) return;
    const d = event.delta;
    if (!d) return;
    switch (d.type) {
      case 'text_delta':
        if (d.text) emit({ type: 'text-delta', index, text: d.text });
        return;
      case 'input_json_delta':
        if (d.partial_json) emit({ type: 'tool-call-delta', index, argumentsDelta: d.partial_json });
        return;
      case 'thinking_delta':
        if (d.thinking) emit({ type: 'reasoning-delta', index, text: d.thinking });
        return;
      case 'signature_delta':
        if (d.signature) emit({ type: 'reasoning-signature', index, signature: d.signature });
        return;
      default:
        // citations_delta and newer delta types: nothing canonical to say.
        return;
    }
  }

  return {
    push(message, emit) {
      if (done) return;
      let event: AnthropicStreamEvent;
      try {
        event = JSON.parse(message.data);
      } catch {
        fail(emit, notJsonEventError(message.data));
        return;
      }
      if (event === null || typeof event !== 'object') return;
      switch (event.type) {
        case 'content_block_delta':
          delta(event, emit);
          return;
        case 'content_block_start':
          start(event, emit);
          return;
        case 'content_block_stop': {
          const index = event.index ?? 0;
          if (!skipped?.has(index)) emit({ type: 'block-stop', index });
          return;
        }
        case 'message_start': {
          const m = event.message ?? {};
          absorbUsage(usage, m.usage);
          emit({
            type: 'message-start',
            id: typeof m.id === 'string' ? m.id : '',
            model: typeof m.model === 'string' ? m.model : '',
            usage: usageFromRaw(usage),
          });
          return;
        }
        case 'message_delta':
          if (event.delta) {
            if (event.delta.stop_reason !== undefined) stopReason = event.delta.stop_reason;
            if (event.delta.stop_sequence !== undefined) stopSequence = event.delta.stop_sequence;
          }
          if (event.usage) {
            absorbUsage(usage, event.usage);
            emit({ type: 'usage', usage: usageFromRaw(usage) });
          }
          return;
        case 'message_stop':
          done = true;
          emit({
            type: 'finish',
            reason: finishReasonFromAnthropic(stopReason),
            ...(typeof stopSequence === 'string' && { stopSequence }),
            usage: usageFromRaw(usage),
          });
          return;
        case 'error':
          fail(emit, errorFromAnthropic(event.error, undefined));
          return;
        case 'ping':
          return;
        default:
          // An error event whose data lacks the type field is still an error.
          if (message.event === 'error') fail(emit, errorFromAnthropic(event.error, undefined));
          // Event types added after this was written: kept for an Anthropic client, ignored by others.
          else emit({ type: 'raw', dialect: 'anthropic-messages', event: message.event, data: message.data });
          return;
      }
    },
    end(emit) {
      if (done) return;
      fail(
        emit,
        new ProviderError({ type: 'network', message: 'upstream stream ended before message_stop' }),
      );
    },
  };
}

export function decodeStream(): TransformStream<SseMessage, StreamEvent> {
  return stageToTransformStream(createStreamDecoder());
}
