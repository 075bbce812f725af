/**
 * An upstream Responses stream (SSE messages) → canonical events.
 * https://platform.openai.com/docs/api-reference/responses-streaming
 *
 * - `response.created` → message-start (the response id and the model); `response.in_progress`,
 *   `response.queued` and every event type not named here are ignored.
 * - Output items are read by `output_index`. A `message` item's content parts become blocks: `output_text`
 *   → a text block, `refusal` → a refusal block (opened by `content_part.added`, or by the first delta).
 *   A `function_call` item is a tool-call block (id = `call_id`) opened by `output_item.added`. A
 *   `reasoning` item is a reasoning block: summary deltas (`reasoning_summary_text.delta`, parts joined by a
 *   blank line) and raw reasoning deltas (`reasoning_text.delta`) are its text; the `encrypted_content` of
 *   `output_item.done` is sent as a `reasoning-signature` (it is the opaque blob the next turn must carry).
 *   Other item types (web_search_call, …) have no canonical block and are skipped.
 * - `output_item.done` closes the item's blocks; text or arguments that it holds but no delta carried are
 *   sent first. `function_call_arguments.done` does the same for arguments.
 * - `response.completed` / `response.incomplete` → usage, then finish ('tool-calls' when a function was
 *   called; incomplete: `max_output_tokens` → 'length', `content_filter` → 'content-filter').
 * - An `error` event or `response.failed` → an `error` event (the first one wins), typed by its code
 *   (`insufficient_quota`, `rate_limit_exceeded` → rate_limit; `context_length_exceeded` → invalid_request…).
 * - A data line that is not JSON → 'bad_upstream'; the end of input before a terminal event → 'network'.
 */
import type { SseMessage, StreamEvent } from '@tokenpak/provider';
import {
  type Emit,
  mergeUsage,
  ProviderError,
  type StreamStage,
  stageToTransformStream,
  type Usage,
} from '@tokenpak/provider';
import { errorFromResponsesObject, notJsonEventError } from './errors.ts';
import { finishReasonFromStatus } from './map-status.ts';
import { usageFromResponses } from './map-usage.ts';
import type { ResponsesOutputItem, ResponsesResponse, ResponsesStreamEvent } from './wire-types.ts';

type ItemKind = 'message' | 'function_call' | 'reasoning';

interface ItemState {
  kind: ItemKind;
  /** Message: content_index → canonical block. Function call / reasoning: the one block at key 0. */
  blocks: Map<number, number>;
  /** Per block: whether a delta carried text or arguments (else the `.done` events fill it in). */
  streamed: Set<number>;
  /** Reasoning: the summary part the last delta belonged to. */
  summaryIndex: number;
  done: boolean;
}

function parseEvent(data: string): ResponsesStreamEvent | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as ResponsesStreamEvent)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The decoder as a synchronous stage: one SSE message in, canonical events out. */
export function createStreamDecoder(): StreamStage<SseMessage, StreamEvent> {
  let started = false;
  let ended = false;
  let nextBlock = 0;
  let calledTools = false;
  let usage: Usage = {};
  const items = new Map<number, ItemState>();
  /** Open blocks in the order they started, to close what a terminal event leaves open. */
  const open = new Set<number>();

  function start(emit: Emit<StreamEvent>, response?: ResponsesResponse | null): void {
    if (started) return;
    started = true;
    emit({
      type: 'message-start',
      id: typeof response?.id === 'string' ? response.id : '',
      model: typeof response?.model === 'string' ? response.model : '',
    });
  }

  function fail(emit: Emit<StreamEvent>, error: ProviderError): void {
    ended = true;
    emit({ type: 'error', error });
  }

  function openBlock(
    emit: Emit<StreamEvent>,
    item: ItemState,
    key: number,
    type: 'text' | 'refusal' | 'reasoning',
  ): number {
    const existing = item.blocks.get(key);
    if (existing !== undefined) return existing;
    const index = nextBlock++;
    item.blocks.set(key, index);
    open.add(index);
    emit({ type: 'block-start', index, block: { type } });
    return index;
  }

  function closeBlock(emit: Emit<StreamEvent>, index: number): void {
    if (!open.delete(index)) return;
    emit({ type: 'block-stop', index });
  }

  function itemAt(event: ResponsesStreamEvent, kind: ItemKind): ItemState | undefined {
    const outputIndex = typeof event.output_index === 'number' ? event.output_index : 0;
    let item = items.get(outputIndex);
    if (!item) {
      // A delta before its item was announced: take it as announced (lenient with compatible servers).
      if (kind === 'function_call') return undefined;
      item = { kind, blocks: new Map(), streamed: new Set(), summaryIndex: 0, done: false };
      items.set(outputIndex, item);
    }
    return item.kind === kind && !item.done ? item : undefined;
  }

  function itemAdded(emit: Emit<StreamEvent>, event: ResponsesStreamEvent): void {
    const wire = event.item;
    const outputIndex = typeof event.output_index === 'number' ? event.output_index : items.size;
    const kind = wire?.type;
    if (kind !== 'message' && kind !== 'function_call' && kind !== 'reasoning') return;
    const item: ItemState = { kind, blocks: new Map(), streamed: new Set(), summaryIndex: 0, done: false };
    items.set(outputIndex, item);
    if (kind === 'reasoning') openBlock(emit, item, 0, 'reasoning');
    else if (kind === 'function_call') {
      const index = nextBlock++;
      item.blocks.set(0, index);
      open.add(index);
      calledTools = true;
      const id =
        typeof wire?.call_id === 'string' && wire.call_id ? wire.call_id : (wire?.id ?? `call_${index}`);
      const name = typeof wire?.name === 'string' ? wire.name : '';
      emit({ type: 'block-start', index, block: { type: 'tool-call', id, name } });
      if (typeof wire?.arguments === 'string' && wire.arguments.length > 0) {
        item.streamed.add(index);
        emit({ type: 'tool-call-delta', index, argumentsDelta: wire.arguments });
      }
    }
  }

  function prose(emit: Emit<StreamEvent>, event: ResponsesStreamEvent, type: 'text' | 'refusal'): void {
    const item = itemAt(event, 'message');
    if (!item || typeof event.delta !== 'string' || event.delta.length === 0) return;
    const key = typeof event.content_index === 'number' ? event.content_index : 0;
    const index = openBlock(emit, item, key, type);
    item.streamed.add(index);
    emit({ type: 'text-delta', index, text: event.delta });
  }

  function reasoning(emit: Emit<StreamEvent>, event: ResponsesStreamEvent, summary: boolean): void {
    const item = itemAt(event, 'reasoning');
    if (!item || typeof event.delta !== 'string' || event.delta.length === 0) return;
    const index = openBlock(emit, item, 0, 'reasoning');
    const part = summary && typeof event.summary_index === 'number' ? event.summary_index : item.summaryIndex;
    if (item.streamed.has(index) && part !== item.summaryIndex) {
      emit({ type: 'reasoning-delta', index, text: '\n\n' });
    }
    item.summaryIndex = part;
    item.streamed.add(index);
    emit({ type: 'reasoning-delta', index, text: event.delta });
  }

  function argumentsDelta(emit: Emit<StreamEvent>, event: ResponsesStreamEvent): void {
    const item = itemAt(event, 'function_call');
    const index = item?.blocks.get(0);
    if (index === undefined || typeof event.delta !== 'string' || event.delta.length === 0) return;
    item!.streamed.add(index);
    emit({ type: 'tool-call-delta', index, argumentsDelta: event.delta });
  }

  function argumentsDone(emit: Emit<StreamEvent>, event: ResponsesStreamEvent, args: unknown): void {
    const item = itemAt(event, 'function_call');
    const index = item?.blocks.get(0);
    if (index === undefined || item!.streamed.has(index)) return;
    if (typeof args === 'string' && args.length > 0) {
      item!.streamed.add(index);
      emit({ type: 'tool-call-delta', index, argumentsDelta: args });
    }
  }

  /** Text of a finished message part that no delta carried (a server that sends only `.done` events). */
  function partDone(
    emit: Emit<StreamEvent>,
    item: ItemState,
    key: number,
    type: 'text' | 'refusal',
    text: unknown,
  ): void {
    if (typeof text !== 'string' || text.length === 0) return;
    const known = item.blocks.get(key);
    if (known !== undefined && item.streamed.has(known)) return;
    const index = openBlock(emit, item, key, type);
    item.streamed.add(index);
    emit({ type: 'text-delta', index, text });
  }

  function itemDone(emit: Emit<StreamEvent>, event: ResponsesStreamEvent): void {
    const wire: ResponsesOutputItem = event.item ?? {};
    const kind = wire.type;
    if (kind !== 'message' && kind !== 'function_call' && kind !== 'reasoning') return;
    let item = itemAt(event, kind);
    if (!item) {
      if (items.has(typeof event.output_index === 'number' ? event.output_index : -1)) return;
      itemAdded(emit, { ...event, item: { ...wire, arguments: '' } });
      item = itemAt(event, kind);
      if (!item) return;
    }
    if (kind === 'message' && Array.isArray(wire.content)) {
      wire.content.forEach((part, k) => {
        if (part?.type === 'output_text') partDone(emit, item!, k, 'text', part.text);
        else if (part?.type === 'refusal') partDone(emit, item!, k, 'refusal', part.refusal);
      });
    } else if (kind === 'function_call') argumentsDone(emit, event, wire.arguments);
    else if (kind === 'reasoning') {
      const index = item.blocks.get(0);
      if (index !== undefined && !item.streamed.has(index) && Array.isArray(wire.summary)) {
        const text = wire.summary
          .map((part) => (typeof part?.text === 'string' ? part.text : ''))
          .filter((part) => part.length > 0)
          .join('\n\n');
        if (text) emit({ type: 'reasoning-delta', index, text });
      }
      if (index !== undefined && typeof wire.encrypted_content === 'string' && wire.encrypted_content) {
        emit({ type: 'reasoning-signature', index, signature: wire.encrypted_content });
      }
    }
    for (const index of [...item.blocks.values()].sort((a, b) => a - b)) closeBlock(emit, index);
    item.done = true;
  }

  function terminal(emit: Emit<StreamEvent>, response: ResponsesResponse | null | undefined): void {
    start(emit, response);
    for (const index of [...open]) closeBlock(emit, index);
    if (response?.usage && typeof response.usage === 'object') {
      const next = usageFromResponses(response.usage);
      usage = mergeUsage(usage, next);
      emit({ type: 'usage', usage: next });
    }
    ended = true;
    const reason = finishReasonFromStatus(
      response?.status ?? 'completed',
      response?.incomplete_details?.reason,
      calledTools,
    );
    emit({ type: 'finish', reason, usage });
  }

  function handle(emit: Emit<StreamEvent>, message: SseMessage): void {
    if (message.data === '[DONE]' || message.data.length === 0) return;
    const event = parseEvent(message.data);
    if (!event) {
      fail(emit, notJsonEventError(message.event, message.data));
      return;
    }
    const type = event.type ?? message.event;
    switch (type) {
      case 'response.created':
      case 'response.in_progress':
      case 'response.queued':
        start(emit, event.response);
        return;
      case 'response.output_item.added':
        start(emit);
        itemAdded(emit, event);
        return;
      case 'response.content_part.added': {
        start(emit);
        const item = itemAt(event, 'message');
        const part = event.part?.type;
        if (item && (part === 'output_text' || part === 'refusal')) {
          openBlock(emit, item, event.content_index ?? 0, part === 'refusal' ? 'refusal' : 'text');
        }
        return;
      }
      case 'response.output_text.delta':
        start(emit);
        prose(emit, event, 'text');
        return;
      case 'response.refusal.delta':
        start(emit);
        prose(emit, event, 'refusal');
        return;
      case 'response.output_text.done':
      case 'response.refusal.done': {
        const item = itemAt(event, 'message');
        const refusal = type === 'response.refusal.done';
        if (item)
          partDone(
            emit,
            item,
            event.content_index ?? 0,
            refusal ? 'refusal' : 'text',
            refusal ? event.refusal : event.text,
          );
        return;
      }
      case 'response.reasoning_summary_text.delta':
        start(emit);
        reasoning(emit, event, true);
        return;
      case 'response.reasoning_text.delta':
        start(emit);
        reasoning(emit, event, false);
        return;
      case 'response.function_call_arguments.delta':
        start(emit);
        argumentsDelta(emit, event);
        return;
      case 'response.function_call_arguments.done':
        argumentsDone(emit, event, event.arguments);
        return;
      case 'response.output_item.done':
        start(emit);
        itemDone(emit, event);
        return;
      case 'response.completed':
      case 'response.incomplete':
        terminal(emit, event.response);
        return;
      case 'response.failed': {
        const error = event.response?.error;
        fail(
          emit,
          errorFromResponsesObject(
            error && typeof error === 'object' ? error : { message: 'the upstream response failed' },
            undefined,
          ),
        );
        return;
      }
      case 'error': {
        const nested = event.error && typeof event.error === 'object' ? event.error : undefined;
        fail(
          emit,
          errorFromResponsesObject(
            nested ?? { code: event.code, message: event.message, param: event.param },
            undefined,
          ),
        );
        return;
      }
      default:
        return;
    }
  }

  return {
    push(message, emit) {
      if (!ended) handle(emit, message);
    },
    end(emit) {
      if (ended) return;
      fail(
        emit,
        new ProviderError({ type: 'network', message: 'upstream closed the stream before it finished' }),
      );
    },
  };
}

export function decodeStream(): TransformStream<SseMessage, StreamEvent> {
  return stageToTransformStream(createStreamDecoder());
}
