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
import { ProviderError } from '../../canonical/errors.ts';
import type { BlockInfo, StreamEvent } from '../../canonical/events.ts';
import type { FinishReason } from '../../canonical/finish-reason.ts';
import { mergeUsage, type Usage } from '../../canonical/usage.ts';
import type { EncodeStreamOptions, WireEvent } from '../dialect.ts';
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

export function encodeStream(options: EncodeStreamOptions): TransformStream<StreamEvent, WireEvent> {
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

  type Controller = TransformStreamDefaultController<WireEvent>;

  function messageStart(controller: Controller): void {
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
    controller.enqueue({ event: 'message_start', data: JSON.stringify({ type: 'message_start', message }) });
  }

  function sendDelta(state: BlockState, event: StreamEvent, controller: Controller): void {
    if (event.type === 'reasoning-signature') {
      const data = {
        type: DELTA,
        index: state.clientIndex,
        delta: { type: 'signature_delta', signature: event.signature },
      };
      controller.enqueue({ event: DELTA, data: JSON.stringify(data) });
      return;
    }
    const text = deltaText(event);
    if (text && currentPrefix)
      controller.enqueue({ event: DELTA, data: currentPrefix + JSON.stringify(text) + '}}' });
  }

  function open(index: number, state: BlockState, controller: Controller): void {
    state.clientIndex = nextClientIndex++;
    current = index;
    currentPrefix = deltaPrefix(state.info, state.clientIndex);
    const data = {
      type: 'content_block_start',
      index: state.clientIndex,
      content_block: contentBlock(state.info),
    };
    controller.enqueue({ event: 'content_block_start', data: JSON.stringify(data) });
    if (state.info.type === 'reasoning' && state.info.signature) {
      sendDelta(state, { type: 'reasoning-signature', index, signature: state.info.signature }, controller);
    }
    const pending = state.pending;
    state.pending = undefined;
    if (pending) for (const event of pending) sendDelta(state, event, controller);
  }

  function close(state: BlockState, controller: Controller): void {
    state.stopped = true;
    current = -1;
    currentPrefix = '';
    controller.enqueue({
      event: 'content_block_stop',
      data: `{"type":"content_block_stop","index":${state.clientIndex}}`,
    });
  }

  /** Sends waiting blocks while nothing is open; with `all`, also closes blocks that have not stopped. */
  function drain(controller: Controller, all: boolean): void {
    if (all && current !== -1) close(blocks.get(current)!, controller);
    while (current === -1 && queue.length > 0) {
      const index = queue.shift()!;
      const state = blocks.get(index)!;
      open(index, state, controller);
      if (state.stopped || all) close(state, controller);
    }
  }

  function blockStart(index: number, info: BlockInfo, controller: Controller): BlockState {
    if (!started) messageStart(controller);
    if (info.type === 'refusal') sawRefusal = true;
    const state: BlockState = { info, clientIndex: -1, pending: undefined, stopped: false };
    blocks.set(index, state);
    if (current === -1 && queue.length === 0) open(index, state, controller);
    else {
      state.pending = [];
      queue.push(index);
    }
    return state;
  }

  /** A delta for a block that is not the open one: waiting, unknown, or already stopped. */
  function otherDelta(event: StreamEvent & { index: number }, controller: Controller): void {
    let state = blocks.get(event.index);
    if (!state) {
      // A delta without block-start: open a block of the matching kind when that is possible.
      if (event.type === 'text-delta') state = blockStart(event.index, { type: 'text' }, controller);
      else if (event.type === 'reasoning-delta')
        state = blockStart(event.index, { type: 'reasoning' }, controller);
      else return;
      if (event.index === current) {
        sendDelta(state, event, controller);
        return;
      }
    }
    if (state.pending) state.pending.push(event);
  }

  function finish(reason: FinishReason, stopSequence: string | undefined, controller: Controller): void {
    if (!started) messageStart(controller);
    drain(controller, true);
    const stopReason = reason === 'stop' && sawRefusal ? 'refusal' : finishReasonToAnthropic(reason);
    const data = {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: stopSequence ?? null },
      usage: usageToAnthropic(usage),
    };
    controller.enqueue({ event: 'message_delta', data: JSON.stringify(data) });
    controller.enqueue({ event: 'message_stop', data: '{"type":"message_stop"}' });
    ended = true;
  }

  return new TransformStream<StreamEvent, WireEvent>({
    transform(event, controller) {
      if (ended) return;
      switch (event.type) {
        case 'text-delta':
        case 'reasoning-delta':
          if (event.index === current) {
            if (event.text)
              controller.enqueue({ event: DELTA, data: currentPrefix + JSON.stringify(event.text) + '}}' });
          } else otherDelta(event, controller);
          return;
        case 'tool-call-delta':
          if (event.index === current) {
            if (event.argumentsDelta) {
              controller.enqueue({
                event: DELTA,
                data: currentPrefix + JSON.stringify(event.argumentsDelta) + '}}',
              });
            }
          } else otherDelta(event, controller);
          return;
        case 'reasoning-signature':
          if (event.index === current) sendDelta(blocks.get(current)!, event, controller);
          else otherDelta(event, controller);
          return;
        case 'block-start':
          blockStart(event.index, event.block, controller);
          return;
        case 'block-stop': {
          const state = blocks.get(event.index);
          if (!state || state.stopped) return;
          if (event.index === current) {
            close(state, controller);
            drain(controller, false);
          } else state.stopped = true;
          return;
        }
        case 'message-start':
          if (event.usage) usage = mergeUsage(usage, event.usage);
          if (!started) messageStart(controller);
          return;
        case 'usage':
          usage = mergeUsage(usage, event.usage);
          return;
        case 'finish':
          usage = mergeUsage(usage, event.usage);
          finish(event.reason, event.stopSequence, controller);
          return;
        case 'error':
          ended = true;
          controller.enqueue(encodeErrorEvent(event.error));
          return;
      }
    },
    flush(controller) {
      if (ended) return;
      ended = true;
      const error = new ProviderError({
        type: 'api_error',
        message: 'the upstream stream ended unexpectedly',
      });
      controller.enqueue(encodeErrorEvent(error));
    },
  });
}
