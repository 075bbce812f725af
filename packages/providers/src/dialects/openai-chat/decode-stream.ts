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
import { ProviderError } from '../../canonical/errors.ts';
import type { BlockInfo, StreamEvent } from '../../canonical/events.ts';
import type { FinishReason } from '../../canonical/finish-reason.ts';
import { mergeUsage, type Usage } from '../../canonical/usage.ts';
import type { SseMessage } from '../../sse/parse-sse.ts';
import { errorFromOpenAIObject } from './errors.ts';
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

type Controller = TransformStreamDefaultController<StreamEvent>;

export function decodeStream(): TransformStream<SseMessage, StreamEvent> {
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

  function start(controller: Controller): void {
    if (started) return;
    started = true;
    controller.enqueue({ type: 'message-start', id, model });
  }

  function fail(controller: Controller, error: ProviderError): void {
    ended = true;
    controller.enqueue({ type: 'error', error });
  }

  function closeProse(controller: Controller): void {
    if (proseKind === undefined) return;
    controller.enqueue({ type: 'block-stop', index: proseBlock });
    proseKind = undefined;
  }

  function prose(controller: Controller, kind: ProseKind, text: string): void {
    if (proseKind !== kind) {
      closeProse(controller);
      proseKind = kind;
      proseBlock = nextBlock++;
      const block: BlockInfo = { type: kind };
      controller.enqueue({ type: 'block-start', index: proseBlock, block });
    }
    if (kind === 'reasoning') controller.enqueue({ type: 'reasoning-delta', index: proseBlock, text });
    else controller.enqueue({ type: 'text-delta', index: proseBlock, text });
  }

  function openTool(controller: Controller, tool: ToolCallState): void {
    closeProse(controller);
    sawToolCall = true;
    tool.block = nextBlock++;
    controller.enqueue({
      type: 'block-start',
      index: tool.block,
      block: { type: 'tool-call', id: tool.id, name: tool.name },
    });
    if (tool.pending.length > 0) {
      controller.enqueue({ type: 'tool-call-delta', index: tool.block, argumentsDelta: tool.pending });
      tool.pending = '';
    }
  }

  function toolDelta(controller: Controller, fragment: OpenAIToolCallDelta, position: number): void {
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
        openTool(controller, tool);
      }
    } else if (typeof args === 'string' && args.length > 0) {
      controller.enqueue({ type: 'tool-call-delta', index: tool.block, argumentsDelta: args });
    }
  }

  function delta(controller: Controller, d: OpenAIChunkDelta): void {
    const reasoning = d.reasoning_content ?? d.reasoning;
    if (typeof reasoning === 'string' && reasoning.length > 0) prose(controller, 'reasoning', reasoning);
    if (typeof d.content === 'string' && d.content.length > 0) prose(controller, 'text', d.content);
    if (typeof d.refusal === 'string' && d.refusal.length > 0) prose(controller, 'refusal', d.refusal);
    const calls = d.tool_calls;
    if (Array.isArray(calls)) {
      for (let k = 0; k < calls.length; k++) {
        const call = calls[k];
        if (call) toolDelta(controller, call, k);
      }
    }
    if (d.function_call)
      toolDelta(
        controller,
        { index: -1, id: d.function_call.name ? `call_${id}` : undefined, function: d.function_call },
        0,
      );
  }

  function closeAll(controller: Controller): void {
    closeProse(controller);
    for (const tool of tools) {
      if (tool.block === -1) {
        if (!tool.id) tool.id = `call_${id}_${tools.indexOf(tool)}`;
        openTool(controller, tool);
      }
      controller.enqueue({ type: 'block-stop', index: tool.block });
    }
    tools.length = 0;
    toolsByIndex.clear();
  }

  function finish(controller: Controller): void {
    start(controller);
    closeAll(controller);
    ended = true;
    // `[DONE]` without any finish_reason (some compatible servers): the turn ended normally.
    const reason = finishReason ?? (sawToolCall ? 'tool-calls' : 'stop');
    controller.enqueue({ type: 'finish', reason, usage });
  }

  function chunk(controller: Controller, message: SseMessage): void {
    let value: OpenAIChunk;
    try {
      value = JSON.parse(message.data);
    } catch {
      if (message.event === 'error') {
        fail(
          controller,
          errorFromOpenAIObject(message.data || 'upstream sent an error event', undefined, undefined),
        );
      } else {
        const sample = message.data.length > 120 ? `${message.data.slice(0, 120)}…` : message.data;
        fail(
          controller,
          new ProviderError({
            type: 'bad_upstream',
            message: `upstream sent a chunk that is not JSON: ${sample}`,
          }),
        );
      }
      return;
    }
    if (value === null || typeof value !== 'object') {
      fail(
        controller,
        new ProviderError({ type: 'bad_upstream', message: 'upstream sent a chunk that is not an object' }),
      );
      return;
    }
    if (value.error !== undefined && value.error !== null) {
      fail(controller, errorFromOpenAIObject(value.error, undefined, undefined));
      return;
    }
    if (message.event === 'error') {
      fail(controller, errorFromOpenAIObject(value as OpenAIErrorObject, undefined, undefined));
      return;
    }
    if (!id && typeof value.id === 'string') id = value.id;
    if (!model && typeof value.model === 'string') model = value.model;
    const choices = value.choices;
    if (Array.isArray(choices)) {
      for (const choice of choices) {
        if ((choice.index ?? 0) !== 0 || finishReason !== undefined) continue;
        start(controller);
        if (choice.delta) delta(controller, choice.delta);
        if (typeof choice.finish_reason === 'string') {
          finishReason = mapOpenAIFinishReason(choice.finish_reason);
          closeAll(controller);
        }
      }
    }
    if (value.usage !== null && typeof value.usage === 'object') {
      start(controller);
      const next = usageFromOpenAI(value.usage);
      usage = mergeUsage(usage, next);
      controller.enqueue({ type: 'usage', usage: next });
    }
  }

  return new TransformStream<SseMessage, StreamEvent>({
    transform(message, controller) {
      if (ended) return;
      if (message.data === '[DONE]') finish(controller);
      else chunk(controller, message);
    },
    flush(controller) {
      if (ended) return;
      if (finishReason !== undefined) finish(controller);
      else {
        fail(
          controller,
          new ProviderError({ type: 'network', message: 'upstream closed the stream before it finished' }),
        );
      }
    },
  });
}
