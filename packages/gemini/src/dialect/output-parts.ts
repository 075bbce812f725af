/**
 * Pieces of a `GenerateContentResponse` as this package writes it to a Gemini client, shared by the stream
 * encoder (each frame is one) and the whole-body encoder.
 *
 * - A function call is a whole `functionCall: { name, args }` part; its `thoughtSignature` comes back out of
 *   the canonical call id where the decoder put it (see thought-signature.ts). No `id`: Gemini sends none,
 *   and pairs responses with calls by name and order.
 * - `modelVersion` is the alias the client asked for; `responseId` the one minted for this answer.
 * - A frame with no part (a final frame that only carries `finishReason` and usage) holds one empty text
 *   part, as Gemini's own final frames do.
 */
import type { Usage } from '@tokenpak/provider';
import { usageToGemini } from './map-usage.ts';
import { decodeCallId } from './thought-signature.ts';
import type { GeminiPart, GeminiResponse } from './wire-types.ts';

/** A tool call's JSON arguments as Gemini's `args` object (arguments that are not an object: `{}`). */
export function argsObject(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // A cut or invalid argument text (a stream stopped at max tokens): no args rather than a broken part.
  }
  return {};
}

export function functionCallPart(id: string, name: string, args: string): GeminiPart {
  const { signature } = decodeCallId(id);
  return {
    functionCall: { name, args: argsObject(args) },
    ...(signature && { thoughtSignature: signature }),
  };
}

export interface FrameInit {
  id: string;
  model: string;
  parts: GeminiPart[];
  finishReason?: string;
  usage?: Usage;
}

export function responseFrame(init: FrameInit): GeminiResponse {
  return {
    candidates: [
      {
        content: { parts: init.parts.length > 0 ? init.parts : [{ text: '' }], role: 'model' },
        ...(init.finishReason !== undefined && { finishReason: init.finishReason }),
        index: 0,
      },
    ],
    ...(init.usage !== undefined && { usageMetadata: usageToGemini(init.usage) }),
    modelVersion: init.model,
    responseId: init.id,
  };
}
