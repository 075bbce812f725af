/**
 * An upstream Chat Completions stream (SSE messages) → canonical events.
 * https://platform.openai.com/docs/api-reference/chat-streaming
 *
 * What real streams send, and what this decoder does with it:
 * - Azure's first chunk has empty `choices` and `prompt_filter_results`: skipped. `obfuscation`,
 *   `content_filter_results`, `system_fingerprint`, logprobs and other extras: ignored.
 * - `delta.content` → a text block, `delta.refusal` → a refusal block, `delta.reasoning_content`
 *   (DeepSeek, vLLM) and `delta.reasoning` (Groq, OpenRouter) → a reasoning block. One of these is open at a
 *   time: a change of kind closes the current one.
 * - `delta.tool_calls[]` by `index`: the first fragment has id and name, later ones only arguments. Each
 *   call is its own block; calls may interleave, so they stay open until the finish. A fragment with a new id
 *   under a used index starts a new call (servers that always send index 0).
 * - Only choice 0 is decoded. Requests with `n > 1` are marked `requiresSameDialect` and are served by
 *   forwarding the upstream bytes; the canonical stream carries one answer.
 * - `finish_reason` closes the open blocks. `finish` itself is sent when the stream ends (`[DONE]`, or the
 *   end of input after a finish_reason), carrying usage merged from every chunk: usage may come in its own
 *   `choices: []` chunk after the finish chunk, inside the finish chunk (DeepSeek), or not at all.
 * - An `event: error` message or a chunk with an `error` object → an `error` event, no finish. A stream
 *   that ends with no finish_reason and no `[DONE]` → a 'network' error; unreadable JSON → 'bad_upstream'.
 */

import type { BlockInfo, FinishReason, SseMessage, StreamEvent } from '@tokenpak/provider';
import {
  type Emit,
  mergeUsage,
  ProviderError,
  type StreamStage,
  stageToTransformStream,
  type Usage,
} from '@tokenpak/provider';
import { errorFromOpenAIObject, notJsonChunkError } from './errors.ts';
import { mapOpenAIFinishReason } from './map-finish-reason.ts';
import { usageFromOpenAI } from './map-usage.ts';
import type { OpenAIChunk, OpenAIChunkDelta, OpenAIErrorObject, OpenAIToolCallDelta } from './wire-types.ts';

type ProseKind = 'text' | 'refusal' | 'reasoning';

interface ToolCallState {
  /** Canonical block index, or -1 while the name is still unknown. */
  block: number;
  id: string;
  name: string;
  /** Argument text received before the name (then sent as the first delta). */
  pending: string;
}

/** The decoder as a synchronous stage: one SSE message in, canonical events out. */
export function createStreamDecoder(): StreamStage<SseMessage, StreamEvent> {
  let started = false;
  let ended = false;
  let id = '';
  let model = '';
  let nextBlock = 0;
  let proseKind: ProseKind | undefined;
  let proseBlock = -1;
  /** Wire index → the call currently using it. */
  const toolsByIndex = new Map<number, ToolCallState>();
  /** Every call in the order it arrived, to close them in order. */
  const tools: ToolCallState[] = [];
  let finishReason: FinishReason | undefined;
  let sawToolCall = false;
  let usage: Usage = {};

  function start(emit: Emit<StreamEvent>): void {
    if (started) return;
    started = true;
    emit({ type: 'message-start', id, model });
  }

  function fail(emit: Emit<StreamEvent>, error: ProviderError): void {
    ended = true;
    emit({ type: 'error', error });
  }

  function closeProse(emit: Emit<StreamEvent>): void {
    if (proseKind === undefined) return;
    emit({ type: 'block-stop', index: proseBlock });
    proseKind = undefined;
  }

  function prose(emit: Emit<StreamEvent>, kind: ProseKind, text: string): void {
    if (proseKind !== kind) {
      closeProse(emit);
      proseKind = kind;
      proseBlock = nextBlock++;
      const block: BlockInfo = { type: kind };
      emit({ type: 'block-start', index: proseBlock, block });
    }
    if (kind === 'reasoning') emit({ type: 'reasoning-delta', index: proseBlock, text });
    else emit({ type: 'text-delta', index: proseBlock, text });
  }

  function openTool(emit: Emit<StreamEvent>, tool: ToolCallState): void {
    closeProse(emit);
    sawToolCall = true;
    tool.block = nextBlock++;
    emit({
      type: 'block-start',
      index: tool.block,
      block: { type: 'tool-call', id: tool.id, name: tool.name },
    });
    if (tool.pending.length > 0) {
      emit({ type: 'tool-call-delta', index: tool.block, argumentsDelta: tool.pending });
      tool.pending = '';
    }
  }

  function toolDelta(emit: Emit<StreamEvent>, fragment: OpenAIToolCallDelta, position: number): void {
    const key = typeof fragment.index === 'number' ? fragment.index : position;
    const fn = fragment.function;
    let tool = toolsByIndex.get(key);
    if (tool === undefined || (fragment.id && tool.id && fragment.id !== tool.id)) {
      tool = { block: -1, id: fragment.id ?? '', name: fn?.name ?? '', pending: '' };
      toolsByIndex.set(key, tool);
      tools.push(tool);
    } else {
      if (!tool.id && fragment.id) tool.id = fragment.id;
      if (!tool.name && fn?.name) tool.name = fn.name;
    }
    const args = fn?.arguments;
    if (tool.block === -1) {
      if (typeof args === 'string') tool.pending += args;
      if (tool.name) {
        if (!tool.id) tool.id = `call_${id}_${tools.length - 1}`;
        openTool(emit, tool);
      }
    } else if (typeof args === 'string' && args.length > 0) {
      emit({ type: 'tool-call-delta', index: tool.block, argumentsDelta: args });
    }
  }

  function delta(emit: Emit<StreamEvent>, d: OpenAIChunkDelta): void {
    const reasoning = d.reasoning_content ?? d.reasoning;
    if (typeof reasoning === 'string' && reasoning.length > 0) prose(emit, 'reasoning', reasoning);
    if (typeof d.content === 'string' && d.content.length > 0) prose(emit, 'text', d.content);
    if (typeof d.refusal === 'string' && d.refusal.length > 0) prose(emit, 'refusal', d.refusal);
    const calls = d.tool_calls;
    if (Array.isArray(calls)) {
      for (let k = 0; k < calls.length; k++) {
        const call = calls[k];
        if (call) toolDelta(emit, call, k);
      }
    }
    if (d.function_call)
      toolDelta(
        emit,
        { index: -1, id: d.function_call.name ? `call_${id}` : undefined, function: d.function_call },
        0,
      );
  }

  function closeAll(emit: Emit<StreamEvent>): void {
    closeProse(emit);
    for (const tool of tools) {
      if (tool.block === -1) {
        if (!tool.id) tool.id = `call_${id}_${tools.indexOf(tool)}`;
        openTool(emit, tool);
      }
      emit({ type: 'block-stop', index: tool.block });
    }
    tools.length = 0;
    toolsByIndex.clear();
  }

  function finish(emit: Emit<StreamEvent>): void {
    start(emit);
    closeAll(emit);
    ended = true;
    // `[DONE]` without any finish_reason (some compatible servers): the turn ended normally.
    const reason = finishReason ?? (sawToolCall ? 'tool-calls' : 'stop');
    emit({ type: 'finish', reason, usage });
  }

  function chunk(emit: Emit<StreamEvent>, message: SseMessage): void {
    let value: OpenAIChunk;
    try {
      value = JSON.parse(message.data);
    } catch {
      fail(emit, notJsonChunkError(message.event, message.data));
      return;
    }
    if (value === null || typeof value !== 'object') {
      fail(
        emit,
        new ProviderError({ type: 'bad_upstream', message: 'upstream sent a chunk that is not an object' }),
      );
      return;
    }
    if (value.error !== undefined && value.error !== null) {
      fail(emit, errorFromOpenAIObject(value.error, undefined, undefined));
      return;
    }
    if (message.event === 'error') {
      fail(emit, errorFromOpenAIObject(value as OpenAIErrorObject, undefined, undefined));
      return;
    }
    if (message.event !== undefined && message.event !== 'message') {
      // Chat Completions streams name no events: a named one is from a newer API (or a gateway's addition),
      // kept for an OpenAI client, ignored by others.
      emit({ type: 'raw', dialect: 'openai-chat', event: message.event, data: message.data });
      return;
    }
    if (!id && typeof value.id === 'string') id = value.id;
    if (!model && typeof value.model === 'string') model = value.model;
    const choices = value.choices;
    if (Array.isArray(choices)) {
      for (const choice of choices) {
        if ((choice.index ?? 0) !== 0 || finishReason !== undefined) continue;
        start(emit);
        if (choice.delta) delta(emit, choice.delta);
        if (typeof choice.finish_reason === 'string') {
          finishReason = mapOpenAIFinishReason(choice.finish_reason);
          closeAll(emit);
        }
      }
    }
    if (value.usage !== null && typeof value.usage === 'object') {
      start(emit);
      const next = usageFromOpenAI(value.usage);
      usage = mergeUsage(usage, next);
      emit({ type: 'usage', usage: next });
    }
  }

  return {
    push(message, emit) {
      if (ended) return;
      if (message.data === '[DONE]') finish(emit);
      else chunk(emit, message);
    },
    end(emit) {
      if (ended) return;
      if (finishReason !== undefined) finish(emit);
      else {
        fail(
          emit,
          new ProviderError({ type: 'network', message: 'upstream closed the stream before it finished' }),
        );
      }
    },
  };
}

export function decodeStream(): TransformStream<SseMessage, StreamEvent> {
  return stageToTransformStream(createStreamDecoder());
}
