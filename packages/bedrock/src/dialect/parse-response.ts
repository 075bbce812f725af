/** A Converse answer (the body of `POST /model/{modelId}/converse`) → canonical response. */
import type { CanonicalResponse, OutputBlock } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { mapStopReason } from './map-stop-reason.ts';
import { mapUsage } from './map-usage.ts';
import { mintMessageId, mintToolUseId } from './mint-id.ts';
import type { ConverseResponse } from './wire-types.ts';

export function parseResponse(body: unknown): CanonicalResponse {
  const answer = body as ConverseResponse | null;
  const message = answer?.output?.message;
  if (!answer || typeof answer !== 'object' || !message || !Array.isArray(message.content)) {
    throw new ProviderError({
      type: 'bad_upstream',
      message: 'bedrock sent a Converse answer without output.message.content',
    });
  }
  const content: OutputBlock[] = [];
  for (const block of message.content) {
    if (typeof block.text === 'string') {
      if (block.text !== '') content.push({ type: 'text', text: block.text });
    } else if (block.toolUse) {
      content.push({
        type: 'tool-call',
        id: block.toolUse.toolUseId || mintToolUseId(),
        name: block.toolUse.name,
        arguments: JSON.stringify(block.toolUse.input ?? {}),
      });
    } else if (block.reasoningContent?.reasoningText) {
      const { text, signature } = block.reasoningContent.reasoningText;
      content.push({ type: 'reasoning', text, ...(signature !== undefined && { signature }) });
    } else if (typeof block.reasoningContent?.redactedContent === 'string') {
      content.push({ type: 'redacted-reasoning', data: block.reasoningContent.redactedContent });
    }
  }
  const matched = answer.additionalModelResponseFields?.stop_sequence;
  return {
    id: mintMessageId(),
    model: '',
    content,
    finishReason: mapStopReason(
      answer.stopReason,
      content.some((block) => block.type === 'tool-call'),
    ),
    ...(answer.stopReason === 'stop_sequence' && typeof matched === 'string' && { stopSequence: matched }),
    usage: mapUsage(answer.usage),
  };
}
