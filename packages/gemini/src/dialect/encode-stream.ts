/**
 * Canonical events → Gemini's stream for a client: every event is one whole `GenerateContentResponse`
 * (`data:` only on SSE; an element of the JSON array otherwise: the server's framing decides).
 *
 *   text-delta (text or refusal block)   → a frame with one `{ text }` part
 *   reasoning-delta                      → a frame with one `{ text, thought: true }` part
 *   tool call                            → its argument deltas are held until the block stops, then one frame
 *                                          with the whole `{ functionCall: { name, args } }` part (Gemini never
 *                                          streams a call in pieces), its thoughtSignature restored from the id
 *   reasoning-signature (Gemini's own)   → the `thoughtSignature` of the next part, where Gemini puts the
 *                                          signature of its thoughts (another provider's signature, which no
 *                                          Gemini client could send anywhere useful, is left out)
 *   finish                               → a last frame with `finishReason` and `usageMetadata`
 *   error (or the end without a finish)  → a frame `{ "error": { code, message, status } }`, then nothing
 *
 * Redacted reasoning has no Gemini form: left out. Nothing is sent before the first content: Gemini has no
 * start event.
 */
import type {
  Emit,
  EncodeStreamOptions,
  StreamEvent,
  StreamStage,
  Usage,
  WireEvent,
} from '@tokenpak/provider';
import { mergeUsage, ProviderError, stageToTransformStream } from '@tokenpak/provider';
import { encodeErrorEvent } from './encode-error.ts';
import { finishReasonToGemini } from './map-finish-reason.ts';
import { mintResponseId } from './mint-id.ts';
import { functionCallPart, responseFrame } from './output-parts.ts';
import { thoughtSignatureOf } from './thought-signature.ts';
import type { GeminiPart } from './wire-types.ts';

type Block =
  | { kind: 'text' | 'skip' }
  | { kind: 'reasoning'; signature?: string }
  | { kind: 'tool'; id: string; name: string; args: string };

export function createStreamEncoder(options: EncodeStreamOptions): StreamStage<StreamEvent, WireEvent> {
  const id = options.id ?? mintResponseId();
  const model = options.model;
  const blocks = new Map<number, Block>();
  /** A signature of the thoughts before, for the next part that has none of its own. */
  let pending: string | undefined;
  let usage: Usage = {};
  let ended = false;

  const send = (emit: Emit<WireEvent>, parts: GeminiPart[], finishReason?: string): void => {
    const frame = responseFrame({
      id,
      model,
      parts,
      ...(finishReason !== undefined && { finishReason, usage }),
    });
    emit({ data: JSON.stringify(frame) });
  };

  const signed = (part: GeminiPart): GeminiPart => {
    if (pending === undefined || part.thoughtSignature !== undefined) return part;
    const out = { ...part, thoughtSignature: pending };
    pending = undefined;
    return out;
  };

  const sendCall = (emit: Emit<WireEvent>, index: number): void => {
    const block = blocks.get(index);
    if (block?.kind !== 'tool') return;
    blocks.delete(index);
    send(emit, [signed(functionCallPart(block.id, block.name, block.args))]);
  };

  const fail = (emit: Emit<WireEvent>, error: ProviderError): void => {
    ended = true;
    emit(encodeErrorEvent(error));
  };

  return {
    push(event, emit) {
      if (ended) return;
      switch (event.type) {
        case 'message-start':
          if (event.usage) usage = mergeUsage(usage, event.usage);
          return;
        case 'block-start': {
          const info = event.block;
          if (info.type === 'text' || info.type === 'refusal') blocks.set(event.index, { kind: 'text' });
          else if (info.type === 'reasoning') {
            const signature = thoughtSignatureOf(info.signature);
            blocks.set(event.index, { kind: 'reasoning', ...(signature && { signature }) });
          } else if (info.type === 'tool-call')
            blocks.set(event.index, { kind: 'tool', id: info.id, name: info.name, args: '' });
          else blocks.set(event.index, { kind: 'skip' });
          return;
        }
        case 'text-delta':
        case 'reasoning-delta': {
          const block = blocks.get(event.index);
          if (!event.text || !block || block.kind === 'skip' || block.kind === 'tool') return;
          const part: GeminiPart =
            block.kind === 'reasoning' ? { text: event.text, thought: true } : signed({ text: event.text });
          send(emit, [part]);
          return;
        }
        case 'reasoning-signature': {
          const signature = thoughtSignatureOf(event.signature);
          if (signature) pending = signature;
          return;
        }
        case 'tool-call-delta': {
          const block = blocks.get(event.index);
          if (block?.kind === 'tool') block.args += event.argumentsDelta;
          return;
        }
        case 'block-stop': {
          const block = blocks.get(event.index);
          if (block?.kind === 'tool') sendCall(emit, event.index);
          else if (block?.kind === 'reasoning' && block.signature) pending = block.signature;
          return;
        }
        case 'usage':
          usage = mergeUsage(usage, event.usage);
          return;
        case 'finish': {
          usage = mergeUsage(usage, event.usage);
          // Calls whose block never stopped are still whole calls to the client.
          for (const index of [...blocks.keys()]) sendCall(emit, index);
          ended = true;
          send(emit, pending === undefined ? [] : [signed({ text: '' })], finishReasonToGemini(event.reason));
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
