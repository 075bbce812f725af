/**
 * Upstream non-stream `message` body → canonical response. Blocks canonical cannot carry
 * (server_tool_use, web_search_tool_result...) are left out, as in the stream decoder.
 */

import type { CanonicalResponse, OutputBlock } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { finishReasonFromAnthropic } from './map-stop-reason.ts';
import { usageFromAnthropic } from './map-usage.ts';
import type { AnthropicMessage } from './wire-types.ts';

function outputBlock(block: Record<string, unknown>): OutputBlock | undefined {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: String(block.text ?? '') };
    case 'tool_use':
      return {
        type: 'tool-call',
        id: String(block.id ?? ''),
        name: String(block.name ?? ''),
        arguments: JSON.stringify(block.input ?? {}),
      };
    case 'thinking':
      return typeof block.signature === 'string' && block.signature
        ? { type: 'reasoning', text: String(block.thinking ?? ''), signature: block.signature }
        : { type: 'reasoning', text: String(block.thinking ?? '') };
    case 'redacted_thinking':
      return { type: 'redacted-reasoning', data: String(block.data ?? '') };
    default:
      return undefined;
  }
}

export function parseResponse(body: unknown): CanonicalResponse {
  const message = body as AnthropicMessage | null;
  if (!message || typeof message !== 'object' || !Array.isArray(message.content)) {
    throw new ProviderError({ type: 'bad_upstream', message: 'upstream answered without a message body' });
  }
  const content: OutputBlock[] = [];
  for (const block of message.content) {
    if (block && typeof block === 'object') {
      const out = outputBlock(block as Record<string, unknown>);
      if (out) content.push(out);
    }
  }
  return {
    id: typeof message.id === 'string' ? message.id : '',
    model: typeof message.model === 'string' ? message.model : '',
    content,
    finishReason: finishReasonFromAnthropic(message.stop_reason),
    ...(typeof message.stop_sequence === 'string' && { stopSequence: message.stop_sequence }),
    usage: usageFromAnthropic(message.usage),
  };
}
