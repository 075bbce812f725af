/** The `stream: false` answer of `/api/chat` → canonical response. */
import type { CanonicalResponse, OutputBlock } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { streamError } from './errors.ts';
import { argumentsText, mapDoneReason, mapUsage } from './map.ts';
import { mintMessageId, mintToolCallId } from './mint-id.ts';
import type { OllamaChatChunk } from './wire-types.ts';

export function parseResponse(body: unknown): CanonicalResponse {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ProviderError({
      type: 'bad_upstream',
      message: 'ollama sent a response that is not an object',
    });
  }
  const chunk = body as OllamaChatChunk;
  if (chunk.error !== undefined) throw streamError(chunk);
  const message = chunk.message ?? {};
  const content: OutputBlock[] = [];
  if (typeof message.thinking === 'string' && message.thinking !== '') {
    content.push({ type: 'reasoning', text: message.thinking });
  }
  if (typeof message.content === 'string' && message.content !== '') {
    content.push({ type: 'text', text: message.content });
  }
  const calls = message.tool_calls ?? [];
  for (const call of calls) {
    content.push({
      type: 'tool-call',
      id: call.id || mintToolCallId(),
      name: call.function?.name ?? '',
      arguments: argumentsText(call.function?.arguments),
    });
  }
  return {
    id: mintMessageId(),
    model: chunk.model ?? '',
    content,
    finishReason: mapDoneReason(chunk.done_reason, calls.length > 0),
    usage: mapUsage(chunk),
  };
}
