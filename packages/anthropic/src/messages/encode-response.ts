/** Canonical response → Anthropic `message` body, named with the alias the client asked for. */
import type { CanonicalResponse, EncodeStreamOptions, OutputBlock } from '@tokenpak/provider';
import { finishReasonToAnthropic } from './map-stop-reason.ts';
import { usageToAnthropic } from './map-usage.ts';
import { mintMessageId } from './mint-id.ts';

function toolInput(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    const input = JSON.parse(text);
    return input !== null && typeof input === 'object' && !Array.isArray(input) ? input : {};
  } catch {
    return {};
  }
}

function contentBlock(block: OutputBlock): Record<string, unknown> {
  switch (block.type) {
    case 'text':
    case 'refusal':
      return { type: 'text', text: block.text };
    case 'reasoning':
      return { type: 'thinking', thinking: block.text, signature: block.signature ?? '' };
    case 'redacted-reasoning':
      return { type: 'redacted_thinking', data: block.data };
    case 'tool-call':
      return { type: 'tool_use', id: block.id, name: block.name, input: toolInput(block.arguments) };
  }
}

export function encodeResponse(
  response: CanonicalResponse,
  options: EncodeStreamOptions,
): Record<string, unknown> {
  const refused = response.content.some((block) => block.type === 'refusal');
  return {
    id: options.id ?? mintMessageId(),
    type: 'message',
    role: 'assistant',
    model: options.model,
    content: response.content.map(contentBlock),
    stop_reason:
      response.finishReason === 'stop' && refused
        ? 'refusal'
        : finishReasonToAnthropic(response.finishReason),
    stop_sequence: response.stopSequence ?? null,
    usage: usageToAnthropic(response.usage),
  };
}
