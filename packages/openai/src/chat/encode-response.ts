/**
 * Canonical response → a `chat.completion` body.
 * https://platform.openai.com/docs/api-reference/chat/object
 * Text blocks join into `content` (null when there is none), refusals into `refusal`, reasoning into
 * `reasoning_content` (DeepSeek's field, present only when there was reasoning); redacted reasoning is left out.
 */
import type { CanonicalResponse, EncodeStreamOptions } from '@tokenpak/provider';
import { toOpenAIFinishReason } from './map-finish-reason.ts';
import { usageToOpenAI } from './map-usage.ts';
import { mintCompletionId } from './mint-id.ts';

export function encodeResponse(
  response: CanonicalResponse,
  options: EncodeStreamOptions,
): Record<string, unknown> {
  let text: string | null = null;
  let refusal: string | null = null;
  let reasoning: string | undefined;
  const toolCalls: Array<Record<string, unknown>> = [];
  for (const block of response.content) {
    if (block.type === 'text') text = (text ?? '') + block.text;
    else if (block.type === 'refusal') refusal = (refusal ?? '') + block.text;
    else if (block.type === 'reasoning') reasoning = (reasoning ?? '') + block.text;
    else if (block.type === 'tool-call') {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: block.arguments || '{}' },
      });
    }
  }
  const message: Record<string, unknown> = { role: 'assistant', content: text, refusal };
  if (reasoning !== undefined) message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: options.id ?? mintCompletionId(),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: options.model,
    choices: [
      { index: 0, message, logprobs: null, finish_reason: toOpenAIFinishReason(response.finishReason) },
    ],
    usage: usageToOpenAI(response.usage),
  };
}
