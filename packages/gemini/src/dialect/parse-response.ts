/**
 * A non-streamed `generateContent` body → canonical response: the body is one frame, run through the stream
 * decoder, and its events folded into blocks (so that both paths read parts the same way).
 */
import type { CanonicalResponse, OutputBlock, StreamEvent } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { createStreamDecoder } from './decode-stream.ts';
import { errorFromGemini, geminiErrorOf } from './errors.ts';
import { usageFromGemini } from './map-usage.ts';
import type { GeminiResponse } from './wire-types.ts';

export function parseResponse(body: unknown): CanonicalResponse {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ProviderError({
      type: 'bad_upstream',
      message: 'upstream sent a response that is not a JSON object',
    });
  }
  const error = geminiErrorOf(body);
  if (error) throw errorFromGemini(error, undefined);
  const events: StreamEvent[] = [];
  createStreamDecoder().push({ data: JSON.stringify(body) }, (event) => events.push(event));
  const response: CanonicalResponse = { id: '', model: '', content: [], finishReason: 'other', usage: {} };
  const blocks = new Map<number, OutputBlock>();
  for (const event of events) {
    switch (event.type) {
      case 'message-start':
        response.id = event.id;
        response.model = event.model;
        break;
      case 'block-start': {
        const info = event.block;
        const block: OutputBlock =
          info.type === 'tool-call'
            ? { type: 'tool-call', id: info.id, name: info.name, arguments: '' }
            : info.type === 'reasoning'
              ? { type: 'reasoning', text: '' }
              : { type: 'text', text: '' };
        blocks.set(event.index, block);
        response.content.push(block);
        break;
      }
      case 'text-delta':
      case 'reasoning-delta': {
        const block = blocks.get(event.index);
        if (block && (block.type === 'text' || block.type === 'reasoning')) block.text += event.text;
        break;
      }
      case 'reasoning-signature': {
        const block = blocks.get(event.index);
        if (block?.type === 'reasoning') block.signature = event.signature;
        break;
      }
      case 'tool-call-delta': {
        const block = blocks.get(event.index);
        if (block?.type === 'tool-call') block.arguments += event.argumentsDelta;
        break;
      }
      case 'usage':
        response.usage = event.usage;
        break;
      case 'finish':
        response.finishReason = event.reason;
        response.usage = event.usage;
        break;
      case 'error':
        throw event.error;
      default:
        break;
    }
  }
  // A body without a finishReason is still an answer: its blocks, with reason 'other'.
  if (response.finishReason === 'other' && response.content.some((b) => b.type === 'tool-call')) {
    response.finishReason = 'tool-calls';
  }
  // Usage is kept even when the body had no finishReason.
  if (Object.keys(response.usage).length === 0)
    response.usage = usageFromGemini((body as GeminiResponse).usageMetadata);
  return response;
}
