/**
 * `previous_response_id` for an upstream that keeps no conversation state: the stored conversation is put in
 * front of the request's own turns. An upstream of the client's own dialect (the Responses API itself) keeps
 * its state: the request goes to it as sent. An unknown (or expired, or another key's) id is the 404 OpenAI
 * gives.
 */
import {
  type AssistantContentPart,
  type CanonicalMessage,
  type CanonicalRequest,
  type CanonicalResponse,
  ProviderError,
} from '@tokenpak/providers';
import type { ResponseStore } from './response-store.ts';

export type Continued = { ok: true; request: CanonicalRequest } | { ok: false; error: ProviderError };

export function continueConversation(
  request: CanonicalRequest,
  store: ResponseStore | undefined,
  owner: string,
): Continued {
  const id = request.previousResponseId;
  if (id === undefined) return { ok: true, request };
  const stored = store?.get(id);
  if (!stored || stored.owner !== owner) {
    return {
      ok: false,
      error: new ProviderError({
        type: 'not_found',
        code: 'previous_response_not_found',
        param: 'previous_response_id',
        message: `Previous response with id '${id}' not found.`,
      }),
    };
  }
  if (!stored.response) {
    return {
      ok: false,
      error: new ProviderError({
        type: 'invalid_request',
        code: 'previous_response_in_progress',
        param: 'previous_response_id',
        message: `Previous response with id '${id}' is still being generated: continue once it is done.`,
      }),
    };
  }
  const system = request.system ?? stored.system;
  const { raw: _sent, ...rest } = request;
  return {
    ok: true,
    request: {
      ...rest,
      ...(system !== undefined && { system }),
      messages: [...stored.messages, ...request.messages],
    },
  };
}

/** The assistant turn a response adds to the conversation. */
export function assistantTurn(response: CanonicalResponse): CanonicalMessage {
  const content: AssistantContentPart[] = [];
  for (const block of response.content) {
    if (block.type === 'text' || block.type === 'refusal') content.push({ type: 'text', text: block.text });
    else if (block.type === 'tool-call') {
      content.push({ type: 'tool-call', id: block.id, name: block.name, arguments: block.arguments });
    } else if (block.type === 'reasoning') {
      content.push({
        type: 'thinking',
        text: block.text,
        ...(block.signature && { signature: block.signature }),
      });
    } else content.push({ type: 'redacted-thinking', data: block.data });
  }
  return { role: 'assistant', content };
}
