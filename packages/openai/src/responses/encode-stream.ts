/**
 * Canonical events → the Responses API's stream, event for event as OpenAI sends it (`event:` = `type`,
 * `sequence_number` from 0 on every event):
 *
 *   response.created, response.in_progress                     (the response object, status in_progress)
 *   per output item, in order (`output_index` = its place in `output`):
 *     message:  output_item.added → content_part.added → output_text.delta* (or refusal.delta*)
 *               → output_text.done (refusal.done) → content_part.done → … → output_item.done
 *     function: output_item.added (arguments '') → function_call_arguments.delta* → .done → output_item.done
 *     reasoning: output_item.added → reasoning_summary_part.added → reasoning_summary_text.delta*
 *               → reasoning_summary_text.done → reasoning_summary_part.done → output_item.done
 *   response.completed | response.incomplete | response.failed   (the full response: output and usage)
 *
 * Canonical text and refusal blocks are content parts of one `message` item until a tool call or reasoning
 * block starts. Every item is sent whole in `output_item.done` (Codex reads tool calls from there only).
 * A tool call that got no argument text gets `{}`. A reasoning signature (Anthropic's, or a Responses
 * upstream's `encrypted_content`) is sent as the item's `encrypted_content`; redacted reasoning is left out.
 * An `error` event becomes `error` (the `openai` SDK throws on it) and then `response.failed` with
 * `error: { code, message }` (Codex acts on the code).
 */
import type { EncodeStreamOptions, StreamEvent, WireEvent } from '@tokenpak/provider';
import {
  type Emit,
  mergeUsage,
  ProviderError,
  type StreamStage,
  stageToTransformStream,
  type Usage,
} from '@tokenpak/provider';
import { errorEventPayload, responsesErrorCode } from './errors.ts';
import { statusFromFinishReason } from './map-status.ts';
import { mintItemId, mintResponseId } from './mint-id.ts';
import { requestEcho } from './request-echo.ts';
import { responseObject } from './response-object.ts';

interface Part {
  type: 'output_text' | 'refusal';
  text: string;
  open: boolean;
}

interface OutItem {
  kind: 'message' | 'function_call' | 'reasoning';
  id: string;
  outputIndex: number;
  open: boolean;
  /** message */
  parts: Part[];
  /** function_call */
  callId: string;
  name: string;
  arguments: string;
  /** reasoning */
  summary: string;
  summaryOpen: boolean;
  signature?: string;
  status: 'in_progress' | 'completed' | 'incomplete';
}

interface BlockTarget {
  item: OutItem;
  /** The content part, for message blocks. */
  part?: number;
}

function wirePart(part: Part): Record<string, unknown> {
  return part.type === 'refusal'
    ? { type: 'refusal', refusal: part.text }
    : { type: 'output_text', text: part.text, annotations: [] };
}

/** The whole item, as `output_item.added` / `.done` and the response's `output` carry it. */
export function wireItem(item: OutItem): Record<string, unknown> {
  switch (item.kind) {
    case 'message':
      return {
        id: item.id,
        type: 'message',
        status: item.status,
        role: 'assistant',
        content: item.open ? [] : item.parts.map(wirePart),
      };
    case 'function_call':
      return {
        id: item.id,
        type: 'function_call',
        status: item.status,
        arguments: item.open ? '' : item.arguments,
        call_id: item.callId,
        name: item.name,
      };
    default:
      return {
        id: item.id,
        type: 'reasoning',
        summary: item.open || !item.summary ? [] : [{ type: 'summary_text', text: item.summary }],
        ...(item.signature && { encrypted_content: item.signature }),
      };
  }
}

/** The encoder as a synchronous stage: one canonical event in, wire events out. */
export function createStreamEncoder(options: EncodeStreamOptions): StreamStage<StreamEvent, WireEvent> {
  const id = options.id ?? mintResponseId();
  const createdAt = Math.floor(Date.now() / 1000);
  const model = options.model;
  const echo = requestEcho(options.request);
  const output: OutItem[] = [];
  const blocks = new Map<number, BlockTarget>();
  let message: OutItem | undefined;
  let sequence = 0;
  let started = false;
  let ended = false;
  let usage: Usage = {};

  function send(emit: Emit<WireEvent>, type: string, fields: Record<string, unknown>): void {
    emit({ event: type, data: JSON.stringify({ type, sequence_number: sequence++, ...fields }) });
  }

  function begin(emit: Emit<WireEvent>): void {
    if (started) return;
    started = true;
    const response = responseObject({ id, createdAt, model, status: 'in_progress', output: [], echo });
    send(emit, 'response.created', { response });
    send(emit, 'response.in_progress', { response });
  }

  function addItem(emit: Emit<WireEvent>, kind: OutItem['kind'], init: Partial<OutItem>): OutItem {
    const prefix = kind === 'message' ? 'msg' : kind === 'function_call' ? 'fc' : 'rs';
    const item: OutItem = {
      kind,
      id: mintItemId(prefix),
      outputIndex: output.length,
      open: true,
      parts: [],
      callId: '',
      name: '',
      arguments: '',
      summary: '',
      summaryOpen: false,
      status: 'in_progress',
      ...init,
    };
    output.push(item);
    send(emit, 'response.output_item.added', { output_index: item.outputIndex, item: wireItem(item) });
    return item;
  }

  function finishItem(emit: Emit<WireEvent>, item: OutItem, status: 'completed' | 'incomplete'): void {
    if (!item.open) return;
    item.open = false;
    item.status = status;
    send(emit, 'response.output_item.done', { output_index: item.outputIndex, item: wireItem(item) });
  }

  function where(item: OutItem): Record<string, unknown> {
    return { item_id: item.id, output_index: item.outputIndex };
  }

  function closePart(emit: Emit<WireEvent>, item: OutItem, index: number): void {
    const part = item.parts[index];
    if (!part?.open) return;
    part.open = false;
    const at = { ...where(item), content_index: index };
    if (part.type === 'refusal') send(emit, 'response.refusal.done', { ...at, refusal: part.text });
    else send(emit, 'response.output_text.done', { ...at, text: part.text, logprobs: [] });
    send(emit, 'response.content_part.done', { ...at, part: wirePart(part) });
  }

  /** Ends the current message item, once none of its parts is still streaming. */
  function leaveMessage(emit: Emit<WireEvent>): void {
    const current = message;
    message = undefined;
    if (current && !current.parts.some((part) => part.open)) finishItem(emit, current, 'completed');
  }

  function closeSummary(emit: Emit<WireEvent>, item: OutItem): void {
    if (!item.summaryOpen) return;
    item.summaryOpen = false;
    const at = { ...where(item), summary_index: 0 };
    send(emit, 'response.reasoning_summary_text.done', { ...at, text: item.summary });
    send(emit, 'response.reasoning_summary_part.done', {
      ...at,
      part: { type: 'summary_text', text: item.summary },
    });
  }

  function closeArguments(emit: Emit<WireEvent>, item: OutItem): void {
    if (item.arguments.length === 0) {
      item.arguments = '{}';
      send(emit, 'response.function_call_arguments.delta', { ...where(item), delta: '{}' });
    }
    send(emit, 'response.function_call_arguments.done', {
      ...where(item),
      name: item.name,
      arguments: item.arguments,
    });
  }

  /** Closes one item with everything still open in it. */
  function closeItem(emit: Emit<WireEvent>, item: OutItem, status: 'completed' | 'incomplete'): void {
    if (!item.open) return;
    if (item.kind === 'message') {
      for (let k = 0; k < item.parts.length; k++) closePart(emit, item, k);
    } else if (item.kind === 'reasoning') closeSummary(emit, item);
    else closeArguments(emit, item);
    finishItem(emit, item, status);
  }

  function blockStart(emit: Emit<WireEvent>, event: Extract<StreamEvent, { type: 'block-start' }>): void {
    const block = event.block;
    if (block.type === 'text' || block.type === 'refusal') {
      message ??= addItem(emit, 'message', {});
      const part: Part = { type: block.type === 'text' ? 'output_text' : 'refusal', text: '', open: true };
      const index = message.parts.push(part) - 1;
      blocks.set(event.index, { item: message, part: index });
      send(emit, 'response.content_part.added', {
        ...where(message),
        content_index: index,
        part: wirePart(part),
      });
      return;
    }
    if (block.type === 'redacted-reasoning') return;
    leaveMessage(emit);
    const item =
      block.type === 'tool-call'
        ? addItem(emit, 'function_call', { callId: block.id, name: block.name })
        : addItem(emit, 'reasoning', block.signature ? { signature: block.signature } : {});
    blocks.set(event.index, { item });
  }

  function textDelta(emit: Emit<WireEvent>, index: number, text: string): void {
    const target = blocks.get(index);
    if (!target || text.length === 0) return;
    const { item } = target;
    if (item.kind === 'reasoning') {
      reasoningDelta(emit, index, text);
      return;
    }
    const part = target.part === undefined ? undefined : item.parts[target.part];
    if (!part?.open) return;
    part.text += text;
    const at = { ...where(item), content_index: target.part };
    if (part.type === 'refusal') send(emit, 'response.refusal.delta', { ...at, delta: text });
    else send(emit, 'response.output_text.delta', { ...at, delta: text, logprobs: [] });
  }

  function reasoningDelta(emit: Emit<WireEvent>, index: number, text: string): void {
    const target = blocks.get(index);
    if (!target || text.length === 0 || !target.item.open) return;
    const { item } = target;
    if (item.kind !== 'reasoning') {
      textDelta(emit, index, text);
      return;
    }
    if (!item.summaryOpen && item.summary.length === 0) {
      item.summaryOpen = true;
      send(emit, 'response.reasoning_summary_part.added', {
        ...where(item),
        summary_index: 0,
        part: { type: 'summary_text', text: '' },
      });
    }
    if (!item.summaryOpen) return;
    item.summary += text;
    send(emit, 'response.reasoning_summary_text.delta', { ...where(item), summary_index: 0, delta: text });
  }

  function blockStop(emit: Emit<WireEvent>, index: number): void {
    const target = blocks.get(index);
    if (!target) return;
    const { item } = target;
    if (target.part !== undefined) {
      closePart(emit, item, target.part);
      if (item !== message && !item.parts.some((part) => part.open)) finishItem(emit, item, 'completed');
      return;
    }
    closeItem(emit, item, 'completed');
  }

  function closeAll(emit: Emit<WireEvent>, status: 'completed' | 'incomplete'): void {
    message = undefined;
    for (const item of output) closeItem(emit, item, status);
  }

  function fail(emit: Emit<WireEvent>, error: ProviderError): void {
    begin(emit);
    ended = true;
    const code = responsesErrorCode(error);
    send(emit, 'error', { ...errorEventPayload(error) });
    const response = responseObject({
      id,
      createdAt,
      model,
      echo,
      status: 'failed',
      output: output.map(wireItem),
      usage,
      error: { code, message: error.message },
    });
    send(emit, 'response.failed', { response });
  }

  return {
    push(event, emit) {
      if (ended) return;
      switch (event.type) {
        case 'message-start':
          if (event.usage) usage = mergeUsage(usage, event.usage);
          begin(emit);
          return;
        case 'block-start':
          begin(emit);
          blockStart(emit, event);
          return;
        case 'text-delta':
          textDelta(emit, event.index, event.text);
          return;
        case 'reasoning-delta':
          reasoningDelta(emit, event.index, event.text);
          return;
        case 'reasoning-signature': {
          const item = blocks.get(event.index)?.item;
          if (item?.kind === 'reasoning') item.signature = event.signature;
          return;
        }
        case 'tool-call-delta': {
          const item = blocks.get(event.index)?.item;
          if (item?.kind !== 'function_call' || !item.open || event.argumentsDelta.length === 0) return;
          item.arguments += event.argumentsDelta;
          send(emit, 'response.function_call_arguments.delta', {
            ...where(item),
            delta: event.argumentsDelta,
          });
          return;
        }
        case 'block-stop':
          blockStop(emit, event.index);
          return;
        case 'usage':
          usage = mergeUsage(usage, event.usage);
          return;
        case 'finish': {
          begin(emit);
          usage = mergeUsage(usage, event.usage);
          const { status, incompleteReason } = statusFromFinishReason(event.reason);
          if (status === 'failed') {
            closeAll(emit, 'incomplete');
            fail(emit, new ProviderError({ type: 'api_error', message: 'the model stopped with an error' }));
            return;
          }
          closeAll(emit, status === 'incomplete' ? 'incomplete' : 'completed');
          ended = true;
          const response = responseObject({
            id,
            createdAt,
            model,
            echo,
            status,
            output: output.map(wireItem),
            usage,
            ...(incompleteReason && { incompleteReason }),
          });
          send(emit, status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response });
          return;
        }
        case 'error':
          fail(emit, event.error);
          return;
        default:
          return;
      }
    },
    end(emit) {
      if (ended) return;
      fail(
        emit,
        new ProviderError({ type: 'network', message: 'the upstream stream ended before it finished' }),
      );
    },
  };
}

export function encodeStream(options: EncodeStreamOptions): TransformStream<StreamEvent, WireEvent> {
  return stageToTransformStream(createStreamEncoder(options));
}
