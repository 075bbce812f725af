/**
 * Canonical events → Anthropic's streamed events, as the official SDK reads them:
 *
 *   message_start, (content_block_start, content_block_delta*, content_block_stop)*, message_delta, message_stop
 *
 * - Blocks are numbered densely from 0 in the order they are sent (canonical indices may start elsewhere or
 *   have gaps), and sent one at a time as Anthropic does: a block that starts while another is open waits,
 *   with its deltas, until that one stops (or the message finishes). Refusal blocks become text blocks.
 * - Usage: message_start carries what is known at the start (an OpenAI upstream knows nothing yet: 0);
 *   message_delta carries the final input and output counts.
 * - A canonical `error` becomes `event: error` and ends the stream; a stream that ends without `finish`
 *   gets one too.
 * - Deltas are the hot path: their JSON is a precomputed prefix + JSON.stringify(text) + `}}`.
 */

import type {
  BlockInfo,
  EncodeStreamOptions,
  FinishReason,
  StreamEvent,
  WireEvent,
} from '@tokenpak/provider';
import {
  type Emit,
  mergeUsage,
  ProviderError,
  type StreamStage,
  stageToTransformStream,
  type Usage,
} from '@tokenpak/provider';
import { encodeErrorEvent } from './errors.ts';
import { finishReasonToAnthropic } from './map-stop-reason.ts';
import { usageToAnthropic } from './map-usage.ts';
import { mintMessageId } from './mint-id.ts';

const DELTA = 'content_block_delta';

interface BlockState {
  info: BlockInfo;
  /** Client-side index, or -1 while the block waits for its turn. */
  clientIndex: number;
  /** Deltas received while waiting. */
  pending: StreamEvent[] | undefined;
  stopped: boolean;
}

function deltaPrefix(info: BlockInfo, clientIndex: number): string {
  const head = `{"type":"content_block_delta","index":${clientIndex},"delta":{"type":`;
  switch (info.type) {
    case 'text':
    case 'refusal':
      return `${head}"text_delta","text":`;
    case 'reasoning':
      return `${head}"thinking_delta","thinking":`;
    case 'tool-call':
      return `${head}"input_json_delta","partial_json":`;
    default:
      return '';
  }
}

function contentBlock(info: BlockInfo): Record<string, unknown> {
  switch (info.type) {
    case 'text':
    case 'refusal':
      return { type: 'text', text: '' };
    case 'reasoning':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'redacted-reasoning':
      return { type: 'redacted_thinking', data: info.data };
    case 'tool-call':
      return { type: 'tool_use', id: info.id, name: info.name, input: {} };
  }
}

function deltaText(event: StreamEvent): string | undefined {
  if (event.type === 'text-delta' || event.type === 'reasoning-delta') return event.text;
  if (event.type === 'tool-call-delta') return event.argumentsDelta;
  return undefined;
}

/** The encoder as a synchronous stage: one canonical event in, wire events out. */
export function createStreamEncoder(options: EncodeStreamOptions): StreamStage<StreamEvent, WireEvent> {
  const id = options.id ?? mintMessageId();
  const blocks = new Map<number, BlockState>();
  /** Canonical indices of blocks waiting to be sent, in the order they started. */
  const queue: number[] = [];
  /** Canonical index of the block open on the client side (-1: none), and its delta prefix. */
  let current = -1;
  let currentPrefix = '';
  let nextClientIndex = 0;
  let usage: Usage = {};
  let started = false;
  let ended = false;
  let sawRefusal = false;

  function messageStart(emit: Emit<WireEvent>): void {
    started = true;
    const message = {
      id,
      type: 'message',
      role: 'assistant',
      model: options.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usageToAnthropic(usage),
    };
    emit({ event: 'message_start', data: JSON.stringify({ type: 'message_start', message }) });
  }

  function sendDelta(state: BlockState, event: StreamEvent, emit: Emit<WireEvent>): void {
    if (event.type === 'reasoning-signature') {
      const data = {
        type: DELTA,
        index: state.clientIndex,
        delta: { type: 'signature_delta', signature: event.signature },
      };
      emit({ event: DELTA, data: JSON.stringify(data) });
      return;
    }
    const text = deltaText(event);
    if (text && currentPrefix) emit({ event: DELTA, data: currentPrefix + JSON.stringify(text) + '}}' });
  }

  function open(index: number, state: BlockState, emit: Emit<WireEvent>): void {
    state.clientIndex = nextClientIndex++;
    current = index;
    currentPrefix = deltaPrefix(state.info, state.clientIndex);
    const data = {
      type: 'content_block_start',
      index: state.clientIndex,
      content_block: contentBlock(state.info),
    };
    emit({ event: 'content_block_start', data: JSON.stringify(data) });
    if (state.info.type === 'reasoning' && state.info.signature) {
      sendDelta(state, { type: 'reasoning-signature', index, signature: state.info.signature }, emit);
    }
    const pending = state.pending;
    state.pending = undefined;
    if (pending) for (const event of pending) sendDelta(state, event, emit);
  }

  function close(state: BlockState, emit: Emit<WireEvent>): void {
    state.stopped = true;
    current = -1;
    currentPrefix = '';
    emit({
      event: 'content_block_stop',
      data: `{"type":"content_block_stop","index":${state.clientIndex}}`,
    });
  }

  /** Sends waiting blocks while nothing is open; with `all`, also closes blocks that have not stopped. */
  function drain(emit: Emit<WireEvent>, all: boolean): void {
    if (all && current !== -1) close(blocks.get(current)!, emit);
    while (current === -1 && queue.length > 0) {
      const index = queue.shift()!;
      const state = blocks.get(index)!;
      open(index, state, emit);
      if (state.stopped || all) close(state, emit);
    }
  }

  function blockStart(index: number, info: BlockInfo, emit: Emit<WireEvent>): BlockState {
    if (!started) messageStart(emit);
    if (info.type === 'refusal') sawRefusal = true;
    const state: BlockState = { info, clientIndex: -1, pending: undefined, stopped: false };
    blocks.set(index, state);
    if (current === -1 && queue.length === 0) open(index, state, emit);
    else {
      state.pending = [];
      queue.push(index);
    }
    return state;
  }

  /** A delta for a block that is not the open one: waiting, unknown, or already stopped. */
  function otherDelta(event: StreamEvent & { index: number }, emit: Emit<WireEvent>): void {
    let state = blocks.get(event.index);
    if (!state) {
      // A delta without block-start: open a block of the matching kind when that is possible.
      if (event.type === 'text-delta') state = blockStart(event.index, { type: 'text' }, emit);
      else if (event.type === 'reasoning-delta') state = blockStart(event.index, { type: 'reasoning' }, emit);
      else return;
      if (event.index === current) {
        sendDelta(state, event, emit);
        return;
      }
    }
    if (state.pending) state.pending.push(event);
  }

  function finish(reason: FinishReason, stopSequence: string | undefined, emit: Emit<WireEvent>): void {
    if (!started) messageStart(emit);
    drain(emit, true);
    const stopReason = reason === 'stop' && sawRefusal ? 'refusal' : finishReasonToAnthropic(reason);
    const data = {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: stopSequence ?? null },
      usage: usageToAnthropic(usage),
    };
    emit({ event: 'message_delta', data: JSON.stringify(data) });
    emit({ event: 'message_stop', data: '{"type":"message_stop"}' });
    ended = true;
  }

  return {
    push(event, emit) {
      if (ended) return;
      switch (event.type) {
        case 'text-delta':
        case 'reasoning-delta':
          if (event.index === current) {
            if (event.text) emit({ event: DELTA, data: currentPrefix + JSON.stringify(event.text) + '}}' });
          } else otherDelta(event, emit);
          return;
        case 'tool-call-delta':
          if (event.index === current) {
            if (event.argumentsDelta) {
              emit({
                event: DELTA,
                data: currentPrefix + JSON.stringify(event.argumentsDelta) + '}}',
              });
            }
          } else otherDelta(event, emit);
          return;
        case 'reasoning-signature':
          if (event.index === current) sendDelta(blocks.get(current)!, event, emit);
          else otherDelta(event, emit);
          return;
        case 'block-start':
          blockStart(event.index, event.block, emit);
          return;
        case 'block-stop': {
          const state = blocks.get(event.index);
          if (!state || state.stopped) return;
          if (event.index === current) {
            close(state, emit);
            drain(emit, false);
          } else state.stopped = true;
          return;
        }
        case 'message-start':
          if (event.usage) usage = mergeUsage(usage, event.usage);
          if (!started) messageStart(emit);
          return;
        case 'usage':
          usage = mergeUsage(usage, event.usage);
          return;
        case 'finish':
          usage = mergeUsage(usage, event.usage);
          finish(event.reason, event.stopSequence, emit);
          return;
        case 'error':
          ended = true;
          emit(encodeErrorEvent(event.error));
          return;
        case 'raw':
          // An Anthropic event this proxy does not know: an Anthropic client gets it as it came.
          if (event.dialect === 'anthropic-messages') {
            emit(event.event === undefined ? { data: event.data } : { event: event.event, data: event.data });
          }
          return;
      }
    },
    end(emit) {
      if (ended) return;
      ended = true;
      const error = new ProviderError({
        type: 'api_error',
        message: 'the upstream stream ended unexpectedly',
      });
      emit(encodeErrorEvent(error));
    },
  };
}

export function encodeStream(options: EncodeStreamOptions): TransformStream<StreamEvent, WireEvent> {
  return stageToTransformStream(createStreamEncoder(options));
}
