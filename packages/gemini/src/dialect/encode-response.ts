/**
 * Canonical response → the non-streamed `GenerateContentResponse`, with the parts the stream encoder sends:
 * text and refusal blocks → `{ text }`; reasoning → `{ text, thought: true }`, its signature (Gemini's own
 * only) on the part that follows (on an empty text part when nothing follows); tool calls → whole
 * `functionCall` parts with their thoughtSignature; redacted reasoning left out. `finishReason` and
 * `usageMetadata` as in the stream's last frame.
 */
import type { CanonicalResponse, EncodeStreamOptions } from '@tokenpak/provider';
import { finishReasonToGemini } from './map-finish-reason.ts';
import { mintResponseId } from './mint-id.ts';
import { functionCallPart, responseFrame } from './output-parts.ts';
import { thoughtSignatureOf } from './thought-signature.ts';
import type { GeminiPart } from './wire-types.ts';

export function encodeResponse(
  response: CanonicalResponse,
  options: EncodeStreamOptions,
): Record<string, unknown> {
  const parts: GeminiPart[] = [];
  let pending: string | undefined;
  const push = (part: GeminiPart): void => {
    if (pending !== undefined && part.thoughtSignature === undefined) {
      parts.push({ ...part, thoughtSignature: pending });
      pending = undefined;
    } else parts.push(part);
  };
  for (const block of response.content) {
    switch (block.type) {
      case 'text':
      case 'refusal':
        if (block.text) push({ text: block.text });
        break;
      case 'reasoning':
        if (block.text) parts.push({ text: block.text, thought: true });
        pending = thoughtSignatureOf(block.signature) ?? pending;
        break;
      case 'tool-call':
        push(functionCallPart(block.id, block.name, block.arguments));
        break;
      case 'redacted-reasoning':
        break;
    }
  }
  if (pending !== undefined) push({ text: '' });
  return {
    ...responseFrame({
      id: options.id ?? mintResponseId(),
      model: options.model,
      parts,
      finishReason: finishReasonToGemini(response.finishReason),
      usage: response.usage,
    }),
  };
}
