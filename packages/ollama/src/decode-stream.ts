/**
 * Ollama NDJSON lines (one parsed JSON value each, as `decodeNdjsonStream` hands them) → canonical events.
 *
 * - The first line opens the message: its id is minted (Ollama sends none), its model is the line's `model`.
 * - `message.thinking` pieces go to a reasoning block, `message.content` pieces to a text block; a block is
 *   closed when the other kind starts (each switch opens a new block).
 * - `message.tool_calls` arrive whole: each is one tool-call block (its id, or a minted one) with one delta,
 *   the arguments object as JSON text.
 * - The `done: true` line closes the open block and gives `usage` and `finish` (done_reason mapped; a turn
 *   with tool calls finishes with `tool-calls`).
 * - An `{"error": ...}` line ends the stream with an `error` event; input that stops before `done: true`
 *   ends with a `network` error.
 */
import type { StreamEvent, StreamStage } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { streamError } from './errors.ts';
import { argumentsText, mapDoneReason, mapUsage } from './map.ts';
import { mintMessageId, mintToolCallId } from './mint-id.ts';
import type { OllamaChatChunk } from './wire-types.ts';

export function createStreamDecoder(): StreamStage<unknown, StreamEvent> {
  let started = false;
  let over = false;
  let next = 0;
  let open: { index: number; kind: 'text' | 'reasoning' } | undefined;
  let sawToolCalls = false;

  const close = (emit: (event: StreamEvent) => void) => {
    if (open) emit({ type: 'block-stop', index: open.index });
    open = undefined;
  };

  const piece = (kind: 'text' | 'reasoning', text: string, emit: (event: StreamEvent) => void) => {
    if (open?.kind !== kind) {
      close(emit);
      open = { index: next++, kind };
      emit({ type: 'block-start', index: open.index, block: { type: kind } });
    }
    emit({ type: kind === 'text' ? 'text-delta' : 'reasoning-delta', index: open.index, text });
  };

  return {
    push(value, emit) {
      if (over) return;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ProviderError({
          type: 'bad_upstream',
          message: 'ollama sent a line that is not an object',
        });
      }
      const chunk = value as OllamaChatChunk;
      if (chunk.error !== undefined) {
        over = true;
        emit({ type: 'error', error: streamError(chunk) });
        return;
      }
      if (!started) {
        started = true;
        emit({ type: 'message-start', id: mintMessageId(), model: chunk.model ?? '' });
      }
      const message = chunk.message;
      if (message) {
        if (typeof message.thinking === 'string' && message.thinking !== '') {
          piece('reasoning', message.thinking, emit);
        }
        if (typeof message.content === 'string' && message.content !== '') {
          piece('text', message.content, emit);
        }
        for (const call of message.tool_calls ?? []) {
          close(emit);
          sawToolCalls = true;
          const index = next++;
          emit({
            type: 'block-start',
            index,
            block: { type: 'tool-call', id: call.id || mintToolCallId(), name: call.function?.name ?? '' },
          });
          emit({ type: 'tool-call-delta', index, argumentsDelta: argumentsText(call.function?.arguments) });
          emit({ type: 'block-stop', index });
        }
      }
      if (chunk.done === true) {
        over = true;
        close(emit);
        const usage = mapUsage(chunk);
        emit({ type: 'usage', usage });
        emit({ type: 'finish', reason: mapDoneReason(chunk.done_reason, sawToolCalls), usage });
      }
    },
    end(emit) {
      if (over) return;
      over = true;
      emit({
        type: 'error',
        error: new ProviderError({
          type: 'network',
          message: 'the ollama stream ended before its done: true line',
        }),
      });
    },
  };
}
