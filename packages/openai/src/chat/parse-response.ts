/**
 * An upstream `chat.completion` body → canonical response.
 * https://platform.openai.com/docs/api-reference/chat/object
 * Blocks come in the order a stream would send them: reasoning, text, refusal, tool calls. Only choice 0
 * is read (see decode-stream.ts for `n > 1`).
 */

import type { CanonicalResponse, OutputBlock } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { errorFromOpenAIObject } from './errors.ts';
import { mapOpenAIFinishReason } from './map-finish-reason.ts';
import { usageFromOpenAI } from './map-usage.ts';
import type { OpenAICompletion } from './wire-types.ts';

function badUpstream(message: string): ProviderError {
  return new ProviderError({ type: 'bad_upstream', message });
}

export function parseResponse(body: unknown): CanonicalResponse {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badUpstream('upstream answered with a body that is not a JSON object');
  }
  const completion = body as OpenAICompletion;
  if (completion.error !== undefined && completion.error !== null) {
    throw errorFromOpenAIObject(completion.error, undefined, undefined);
  }
  const choice = Array.isArray(completion.choices)
    ? (completion.choices.find((item) => (item.index ?? 0) === 0) ?? completion.choices[0])
    : undefined;
  if (!choice) throw badUpstream('upstream answered without choices');
  const message = choice.message ?? {};
  const content: OutputBlock[] = [];
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === 'string' && reasoning.length > 0)
    content.push({ type: 'reasoning', text: reasoning });
  if (typeof message.content === 'string' && message.content.length > 0) {
    content.push({ type: 'text', text: message.content });
  }
  if (typeof message.refusal === 'string' && message.refusal.length > 0) {
    content.push({ type: 'refusal', text: message.refusal });
  }
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  calls.forEach((call, k) => {
    const name = call.function?.name;
    if (typeof name !== 'string') return;
    const args = call.function?.arguments;
    content.push({
      type: 'tool-call',
      id: typeof call.id === 'string' && call.id ? call.id : `call_${completion.id ?? ''}_${k}`,
      name,
      arguments: typeof args === 'string' ? args : '',
    });
  });
  const legacy = message.function_call;
  if (legacy && typeof legacy.name === 'string') {
    const args = legacy.arguments;
    content.push({
      type: 'tool-call',
      id: `call_${completion.id ?? ''}`,
      name: legacy.name,
      arguments: typeof args === 'string' ? args : '',
    });
  }
  const finish =
    typeof choice.finish_reason === 'string' ? mapOpenAIFinishReason(choice.finish_reason) : undefined;
  const sawToolCall = content.some((block) => block.type === 'tool-call');
  return {
    id: typeof completion.id === 'string' ? completion.id : '',
    model: typeof completion.model === 'string' ? completion.model : '',
    content,
    finishReason: finish ?? (sawToolCall ? 'tool-calls' : 'stop'),
    usage: completion.usage && typeof completion.usage === 'object' ? usageFromOpenAI(completion.usage) : {},
  };
}
