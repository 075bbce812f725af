/**
 * Upstream Gemini SSE (`:streamGenerateContent?alt=sse`) → canonical events. Each frame is a whole
 * `GenerateContentResponse`; only `candidates[0]` is read (TokenPak never asks for more).
 *
 *   first frame                  → message-start (responseId, modelVersion)
 *   text part                    → text block (opened on the first, kept open across frames)
 *   text part with thought: true → reasoning block
 *   functionCall part            → a whole tool-call block: block-start, one tool-call-delta (the args as
 *                                  JSON), block-stop. Its id is minted (or Gemini's own), with the part's
 *                                  thoughtSignature appended (see thought-signature.ts)
 *   thoughtSignature on a thought part, or on the first answer part after thoughts
 *                                → reasoning-signature of the reasoning block
 *   finishReason (or promptFeedback.blockReason) → usage, finish
 *   { "error": … } frame         → error
 *
 * A stream that ends before a frame with a finishReason ends with an error ('network'); a frame that is not
 * JSON ends it with 'bad_upstream'. Nothing follows an error or a finish.
 */
import type { Emit, SseMessage, StreamEvent, StreamStage, Usage } from '@tokenpak/provider';
import { ProviderError, stageToTransformStream } from '@tokenpak/provider';
import { errorFromGemini, notJsonFrameError } from './errors.ts';
import { finishReasonFromGemini } from './map-finish-reason.ts';
import { usageFromGemini } from './map-usage.ts';
import { encodeCallId, mintCallId, REASONING_SIGNATURE_PREFIX } from './thought-signature.ts';
import type { GeminiPart, GeminiResponse } from './wire-types.ts';

export interface GeminiDecoderOptions {
  /** Mints the id of a function call Gemini gave none (default: `call_` + 24 random letters and digits). */
  mintId?: () => string;
}

export function createStreamDecoder(
  options: GeminiDecoderOptions = {},
): StreamStage<SseMessage, StreamEvent> {
  const mintId = options.mintId ?? mintCallId;
  let started = false;
  let done = false;
  let nextIndex = 0;
  let open: { index: number; type: 'text' | 'reasoning' } | undefined;
  let calledTools = false;
  let usage: Usage = {};

  function close(emit: Emit<StreamEvent>): void {
    if (!open) return;
    emit({ type: 'block-stop', index: open.index });
    open = undefined;
  }

  function ensure(type: 'text' | 'reasoning', emit: Emit<StreamEvent>): number {
    if (open?.type === type) return open.index;
    close(emit);
    open = { index: nextIndex++, type };
    emit({ type: 'block-start', index: open.index, block: { type } });
    return open.index;
  }

  function fail(emit: Emit<StreamEvent>, error: ProviderError): void {
    done = true;
    emit({ type: 'error', error });
  }

  function part(p: GeminiPart, emit: Emit<StreamEvent>): void {
    if (!p || typeof p !== 'object') return;
    const signature =
      typeof p.thoughtSignature === 'string' && p.thoughtSignature ? p.thoughtSignature : undefined;
    if (p.functionCall && typeof p.functionCall === 'object') {
      close(emit);
      const call = p.functionCall;
      const own = typeof call.id === 'string' && call.id ? call.id : mintId();
      const index = nextIndex++;
      calledTools = true;
      emit({
        type: 'block-start',
        index,
        block: { type: 'tool-call', id: encodeCallId(own, signature), name: String(call.name ?? '') },
      });
      emit({ type: 'tool-call-delta', index, argumentsDelta: JSON.stringify(call.args ?? {}) });
      emit({ type: 'block-stop', index });
      return;
    }
    if (typeof p.text !== 'string') return;
    if (p.thought === true) {
      const index = ensure('reasoning', emit);
      if (p.text) emit({ type: 'reasoning-delta', index, text: p.text });
      if (signature)
        emit({ type: 'reasoning-signature', index, signature: REASONING_SIGNATURE_PREFIX + signature });
      return;
    }
    // The signature of the first answer part after thoughts belongs to those thoughts.
    if (signature && open?.type === 'reasoning')
      emit({
        type: 'reasoning-signature',
        index: open.index,
        signature: REASONING_SIGNATURE_PREFIX + signature,
      });
    if (p.text) emit({ type: 'text-delta', index: ensure('text', emit), text: p.text });
  }

  return {
    push(message, emit) {
      if (done) return;
      let frame: GeminiResponse;
      try {
        frame = JSON.parse(message.data);
      } catch {
        fail(emit, notJsonFrameError(message.data));
        return;
      }
      if (frame === null || typeof frame !== 'object') return;
      if (frame.error && typeof frame.error === 'object') {
        fail(emit, errorFromGemini(frame.error, undefined));
        return;
      }
      if (!started) {
        started = true;
        emit({
          type: 'message-start',
          id: typeof frame.responseId === 'string' ? frame.responseId : '',
          model: typeof frame.modelVersion === 'string' ? frame.modelVersion : '',
        });
      }
      const candidate = Array.isArray(frame.candidates) ? frame.candidates[0] : undefined;
      const parts = candidate?.content?.parts;
      if (Array.isArray(parts)) for (const p of parts) part(p, emit);
      if (frame.usageMetadata) usage = usageFromGemini(frame.usageMetadata);
      const blocked = !candidate && frame.promptFeedback?.blockReason;
      const reason = typeof candidate?.finishReason === 'string' ? candidate.finishReason : undefined;
      if (reason || blocked) {
        close(emit);
        done = true;
        emit({ type: 'usage', usage });
        emit({
          type: 'finish',
          reason: blocked ? 'content-filter' : finishReasonFromGemini(reason ?? '', calledTools),
          usage,
        });
      }
    },
    end(emit) {
      if (done) return;
      fail(
        emit,
        new ProviderError({
          type: 'network',
          message: 'upstream stream ended before a frame with finishReason',
        }),
      );
    },
  };
}

export function decodeStream(): TransformStream<SseMessage, StreamEvent> {
  return stageToTransformStream(createStreamDecoder());
}
