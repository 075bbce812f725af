/**
 * An upstream `response` body (non-streamed `POST /v1/responses`) → canonical response.
 * https://platform.openai.com/docs/api-reference/responses/object
 * Output items map as in the stream decoder: message parts → text / refusal blocks, `function_call` →
 * tool-call blocks, `reasoning` → a reasoning block (summary texts, `encrypted_content` as its signature);
 * other item types are skipped. A `failed` response (or an `error` body) is thrown as its error.
 */
import type { CanonicalResponse, OutputBlock } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { errorFromResponsesObject } from './errors.ts';
import { finishReasonFromStatus } from './map-status.ts';
import { usageFromResponses } from './map-usage.ts';
import type { ResponsesErrorObject, ResponsesOutputItem, ResponsesResponse } from './wire-types.ts';

function itemBlocks(item: ResponsesOutputItem, k: number, out: OutputBlock[]): void {
  if (item.type === 'message' && Array.isArray(item.content)) {
    for (const part of item.content) {
      if (part?.type === 'output_text' && typeof part.text === 'string' && part.text.length > 0) {
        out.push({ type: 'text', text: part.text });
      } else if (part?.type === 'refusal' && typeof part.refusal === 'string' && part.refusal.length > 0) {
        out.push({ type: 'refusal', text: part.refusal });
      }
    }
  } else if (item.type === 'function_call' && typeof item.name === 'string') {
    out.push({
      type: 'tool-call',
      id: typeof item.call_id === 'string' && item.call_id ? item.call_id : (item.id ?? `call_${k}`),
      name: item.name,
      arguments: typeof item.arguments === 'string' ? item.arguments : '',
    });
  } else if (item.type === 'reasoning') {
    const text = (Array.isArray(item.summary) ? item.summary : [])
      .map((part) => (typeof part?.text === 'string' ? part.text : ''))
      .filter((part) => part.length > 0)
      .join('\n\n');
    const signature = typeof item.encrypted_content === 'string' ? item.encrypted_content : undefined;
    if (text || signature) out.push({ type: 'reasoning', text, ...(signature && { signature }) });
  }
}

export function parseResponse(body: unknown): CanonicalResponse {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ProviderError({
      type: 'bad_upstream',
      message: 'upstream answered with a body that is not a JSON object',
    });
  }
  const response = body as ResponsesResponse & { error?: ResponsesErrorObject | null };
  if (response.error && typeof response.error === 'object') {
    throw errorFromResponsesObject(response.error, undefined);
  }
  if (response.status === 'failed') {
    throw errorFromResponsesObject({ message: 'the upstream response failed' }, undefined);
  }
  if (!Array.isArray(response.output)) {
    throw new ProviderError({ type: 'bad_upstream', message: 'upstream answered without an output array' });
  }
  const content: OutputBlock[] = [];
  response.output.forEach((item, k) => {
    if (item && typeof item === 'object') itemBlocks(item, k, content);
  });
  const calledTools = content.some((block) => block.type === 'tool-call');
  return {
    id: typeof response.id === 'string' ? response.id : '',
    model: typeof response.model === 'string' ? response.model : '',
    content,
    finishReason: finishReasonFromStatus(response.status, response.incomplete_details?.reason, calledTools),
    usage: response.usage && typeof response.usage === 'object' ? usageFromResponses(response.usage) : {},
  };
}
