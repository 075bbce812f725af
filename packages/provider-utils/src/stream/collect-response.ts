/** Aggregates a canonical stream into a complete response; an `error` event rejects with its ProviderError. */

import type { CanonicalResponse, FinishReason, OutputBlock, StreamEvent } from '@tokenpak/provider';
import { mergeUsage, ProviderError, toProviderError, type Usage } from '@tokenpak/provider';

type Draft =
  | { type: 'text' | 'refusal'; text: string }
  | { type: 'reasoning'; text: string; signature?: string }
  | { type: 'redacted-reasoning'; data: string }
  | { type: 'tool-call'; id: string; name: string; arguments: string };

export async function collectResponse(events: ReadableStream<StreamEvent>): Promise<CanonicalResponse> {
  const blocks = new Map<number, Draft>();
  let id = '';
  let model = '';
  let usage: Usage = {};
  let finish: { reason: FinishReason; stopSequence?: string } | undefined;
  const reader = events.getReader();
  try {
    for (;;) {
      const { value: event, done } = await reader.read();
      if (done) break;
      switch (event.type) {
        case 'message-start':
          id = event.id;
          model = event.model;
          if (event.usage) usage = mergeUsage(usage, event.usage);
          break;
        case 'block-start': {
          const info = event.block;
          blocks.set(
            event.index,
            info.type === 'tool-call'
              ? { type: 'tool-call', id: info.id, name: info.name, arguments: '' }
              : info.type === 'redacted-reasoning'
                ? { type: 'redacted-reasoning', data: info.data }
                : info.type === 'reasoning'
                  ? { type: 'reasoning', text: '', ...(info.signature && { signature: info.signature }) }
                  : { type: info.type, text: '' },
          );
          break;
        }
        case 'text-delta':
        case 'reasoning-delta': {
          const block = blocks.get(event.index);
          if (block && 'text' in block) block.text += event.text;
          break;
        }
        case 'reasoning-signature': {
          const block = blocks.get(event.index);
          if (block?.type === 'reasoning') block.signature = (block.signature ?? '') + event.signature;
          break;
        }
        case 'tool-call-delta': {
          const block = blocks.get(event.index);
          if (block?.type === 'tool-call') block.arguments += event.argumentsDelta;
          break;
        }
        case 'usage':
          usage = mergeUsage(usage, event.usage);
          break;
        case 'finish':
          usage = mergeUsage(usage, event.usage);
          finish = {
            reason: event.reason,
            ...(event.stopSequence !== undefined && { stopSequence: event.stopSequence }),
          };
          break;
        case 'error':
          throw event.error;
        case 'block-stop':
          break;
      }
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw toProviderError(error);
  } finally {
    reader.releaseLock();
  }
  if (!finish) {
    throw new ProviderError({ type: 'bad_upstream', message: 'the stream ended without a finish event' });
  }
  const content: OutputBlock[] = [...blocks.entries()].sort((a, b) => a[0] - b[0]).map(([, block]) => block);
  return {
    id,
    model,
    content,
    finishReason: finish.reason,
    ...(finish.stopSequence !== undefined && { stopSequence: finish.stopSequence }),
    usage,
  };
}
