/**
 * ConverseStream frames (one decoded event-stream message per push, from the event-stream framer) → canonical
 * events.
 *
 *   messageStart                          → message-start (id minted: Bedrock sends none)
 *   contentBlockStart { toolUse }         → block-start tool-call (toolUseId, name)
 *   contentBlockDelta text                → text-delta (its block started on the first delta)
 *   contentBlockDelta toolUse.input       → tool-call-delta (fragments of the input's JSON text)
 *   contentBlockDelta reasoningContent    → reasoning-delta / reasoning-signature; redactedContent → a
 *                                           redacted-reasoning block
 *   contentBlockStop                      → block-stop
 *   messageStop { stopReason }            → closes what is open; the reason is kept for finish
 *   metadata { usage }                    → usage, then finish
 *   :message-type exception               → error (the exception's type: throttling → rate_limit...)
 *
 * Bedrock numbers content blocks (`contentBlockIndex`); canonical blocks are numbered in the order they start,
 * so one Bedrock block may become two canonical ones if its kind changed (never seen; handled). A stream that
 * ends after messageStop without metadata still finishes (without usage); one that ends before messageStop
 * ends with a `network` error. Unknown event types are skipped (newer API versions add some).
 */
import type { BlockInfo, StreamEvent, StreamStage, Usage } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import type { EventStreamMessage } from '../event-stream/event-stream-framer.ts';
import { exceptionError } from './errors.ts';
import { mapStopReason } from './map-stop-reason.ts';
import { mapUsage } from './map-usage.ts';
import { mintMessageId, mintToolUseId } from './mint-id.ts';
import type {
  BedrockErrorBody,
  ContentBlockDeltaPayload,
  ContentBlockStartPayload,
  ContentBlockStopPayload,
  MessageStopPayload,
  MetadataPayload,
} from './wire-types.ts';

type Emit = (event: StreamEvent) => void;
type Kind = BlockInfo['type'];

const text = new TextDecoder();

function header(message: EventStreamMessage, name: string): string | undefined {
  const value = message.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function payload(message: EventStreamMessage, event: string): Record<string, unknown> {
  const raw = text.decode(message.body);
  if (raw.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  throw new ProviderError({
    type: 'bad_upstream',
    message: `bedrock sent a ${event} event whose payload is not a JSON object: ${raw.slice(0, 200)}`,
  });
}

export function createStreamDecoder(): StreamStage<EventStreamMessage, StreamEvent> {
  let started = false;
  let over = false;
  let next = 0;
  /** Bedrock contentBlockIndex → the open canonical block. */
  const open = new Map<number, { index: number; kind: Kind }>();
  let stopReason: string | undefined;
  let stopSequence: string | undefined;
  let usage: Usage = {};
  let calledTools = false;

  const start = (emit: Emit) => {
    if (started) return;
    started = true;
    emit({ type: 'message-start', id: mintMessageId(), model: '' });
  };

  const stop = (at: number, emit: Emit) => {
    const block = open.get(at);
    if (!block) return;
    open.delete(at);
    emit({ type: 'block-stop', index: block.index });
  };

  const openBlock = (at: number, block: BlockInfo, emit: Emit): number => {
    start(emit);
    stop(at, emit);
    const index = next++;
    open.set(at, { index, kind: block.type });
    if (block.type === 'tool-call') calledTools = true;
    emit({ type: 'block-start', index, block });
    return index;
  };

  /** The canonical block for a delta of `kind` at Bedrock's `at`, started if need be. */
  const blockFor = (at: number, kind: 'text' | 'reasoning' | 'tool-call', emit: Emit): number => {
    const current = open.get(at);
    if (current?.kind === kind) return current.index;
    const block: BlockInfo =
      kind === 'tool-call' ? { type: kind, id: mintToolUseId(), name: '' } : { type: kind };
    return openBlock(at, block, emit);
  };

  const finish = (emit: Emit) => {
    over = true;
    for (const at of [...open.keys()]) stop(at, emit);
    emit({
      type: 'finish',
      reason: mapStopReason(stopReason, calledTools),
      usage,
      ...(stopSequence !== undefined && stopReason === 'stop_sequence' && { stopSequence }),
    });
  };

  const fail = (error: ProviderError, emit: Emit) => {
    over = true;
    emit({ type: 'error', error });
  };

  return {
    push(message, emit) {
      if (over) return;
      const messageType = header(message, ':message-type');
      if (messageType === 'exception') {
        const name = header(message, ':exception-type');
        const body = payload(message, name ?? 'exception') as BedrockErrorBody;
        fail(exceptionError({ name, message: body.message ?? body.Message }), emit);
        return;
      }
      if (messageType === 'error') {
        fail(
          exceptionError({
            name: header(message, ':error-code'),
            message: header(message, ':error-message'),
          }),
          emit,
        );
        return;
      }
      const event = header(message, ':event-type');
      if (messageType !== 'event' || event === undefined) return;
      switch (event) {
        case 'messageStart':
          start(emit);
          return;
        case 'contentBlockStart': {
          const { contentBlockIndex: at = 0, start: begin } = payload(
            message,
            event,
          ) as ContentBlockStartPayload;
          if (begin?.toolUse) {
            openBlock(
              at,
              {
                type: 'tool-call',
                id: begin.toolUse.toolUseId || mintToolUseId(),
                name: begin.toolUse.name ?? '',
              },
              emit,
            );
          }
          return;
        }
        case 'contentBlockDelta': {
          const { contentBlockIndex: at = 0, delta } = payload(message, event) as ContentBlockDeltaPayload;
          if (typeof delta?.text === 'string') {
            const index = blockFor(at, 'text', emit);
            if (delta.text !== '') emit({ type: 'text-delta', index, text: delta.text });
          } else if (delta?.toolUse) {
            const index = blockFor(at, 'tool-call', emit);
            const fragment = delta.toolUse.input;
            if (typeof fragment === 'string' && fragment !== '') {
              emit({ type: 'tool-call-delta', index, argumentsDelta: fragment });
            }
          } else if (delta?.reasoningContent) {
            const reasoning = delta.reasoningContent;
            if (typeof reasoning.redactedContent === 'string') {
              openBlock(at, { type: 'redacted-reasoning', data: reasoning.redactedContent }, emit);
            }
            if (typeof reasoning.text === 'string' && reasoning.text !== '') {
              emit({ type: 'reasoning-delta', index: blockFor(at, 'reasoning', emit), text: reasoning.text });
            }
            if (typeof reasoning.signature === 'string' && reasoning.signature !== '') {
              const index = blockFor(at, 'reasoning', emit);
              emit({ type: 'reasoning-signature', index, signature: reasoning.signature });
            }
          }
          return;
        }
        case 'contentBlockStop': {
          const { contentBlockIndex: at = 0 } = payload(message, event) as ContentBlockStopPayload;
          stop(at, emit);
          return;
        }
        case 'messageStop': {
          start(emit);
          const stopped = payload(message, event) as MessageStopPayload;
          stopReason = typeof stopped.stopReason === 'string' ? stopped.stopReason : 'end_turn';
          const matched = stopped.additionalModelResponseFields?.stop_sequence;
          if (typeof matched === 'string') stopSequence = matched;
          for (const at of [...open.keys()]) stop(at, emit);
          return;
        }
        case 'metadata': {
          start(emit);
          const meta = payload(message, event) as MetadataPayload;
          usage = mapUsage(meta.usage);
          emit({ type: 'usage', usage });
          if (stopReason !== undefined) finish(emit);
          return;
        }
        default:
          return;
      }
    },
    end(emit) {
      if (over) return;
      if (stopReason !== undefined) {
        finish(emit);
        return;
      }
      fail(
        new ProviderError({
          type: 'network',
          message: 'the bedrock stream ended before its messageStop event',
        }),
        emit,
      );
    },
  };
}
