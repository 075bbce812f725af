/**
 * Canonical response → the non-streamed `response` body, with the same items the stream encoder sends:
 * consecutive text and refusal blocks form one `message` item, tool calls are `function_call` items (no
 * argument text → `{}`), reasoning is a `reasoning` item (its signature as `encrypted_content`); redacted
 * reasoning is left out. `status` and `incomplete_details` follow the finish reason (map-status.ts).
 */
import type { CanonicalResponse, EncodeStreamOptions } from '@tokenpak/provider';
import { statusFromFinishReason } from './map-status.ts';
import { mintItemId, mintResponseId } from './mint-id.ts';
import { requestEcho } from './request-echo.ts';
import { responseObject } from './response-object.ts';

export function encodeResponse(
  response: CanonicalResponse,
  options: EncodeStreamOptions,
): Record<string, unknown> {
  const { status, incompleteReason } = statusFromFinishReason(response.finishReason);
  const itemStatus = status === 'completed' ? 'completed' : 'incomplete';
  const output: Array<Record<string, unknown>> = [];
  let message: Array<Record<string, unknown>> | undefined;
  for (const block of response.content) {
    if (block.type === 'text' || block.type === 'refusal') {
      if (!message) {
        message = [];
        output.push({
          id: mintItemId('msg'),
          type: 'message',
          status: itemStatus,
          role: 'assistant',
          content: message,
        });
      }
      message.push(
        block.type === 'text'
          ? { type: 'output_text', text: block.text, annotations: [] }
          : { type: 'refusal', refusal: block.text },
      );
      continue;
    }
    if (block.type === 'redacted-reasoning') continue;
    message = undefined;
    if (block.type === 'tool-call') {
      output.push({
        id: mintItemId('fc'),
        type: 'function_call',
        status: 'completed',
        arguments: block.arguments || '{}',
        call_id: block.id,
        name: block.name,
      });
    } else {
      output.push({
        id: mintItemId('rs'),
        type: 'reasoning',
        summary: block.text ? [{ type: 'summary_text', text: block.text }] : [],
        ...(block.signature && { encrypted_content: block.signature }),
      });
    }
  }
  return responseObject({
    echo: requestEcho(options.request),
    id: options.id ?? mintResponseId(),
    createdAt: Math.floor(Date.now() / 1000),
    model: options.model,
    status,
    output,
    usage: response.usage,
    ...(incompleteReason && { incompleteReason }),
    ...(status === 'failed' && {
      error: { code: 'server_error', message: 'the model stopped with an error' },
    }),
  });
}
