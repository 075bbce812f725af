/**
 * A well-formed canonical stream from a complete response: used when a non-streaming upstream is asked to
 * stream. Text and reasoning arrive in word-sized deltas, tool-call arguments in a few pieces.
 */
import type { BlockInfo, CanonicalResponse, OutputBlock, StreamEvent } from '@tokenpak/provider';
import { splitPieces, splitWords } from './split-text.ts';

/** How many pieces a tool call's arguments are split into. */
const ARGUMENT_PIECES = 3;

function blockInfo(block: OutputBlock): BlockInfo {
  switch (block.type) {
    case 'text':
      return { type: 'text' };
    case 'refusal':
      return { type: 'refusal' };
    case 'reasoning':
      return { type: 'reasoning' };
    case 'redacted-reasoning':
      return { type: 'redacted-reasoning', data: block.data };
    case 'tool-call':
      return { type: 'tool-call', id: block.id, name: block.name };
  }
}

/** The events of a complete response, in stream order. */
export function responseEvents(response: CanonicalResponse): StreamEvent[] {
  const events: StreamEvent[] = [];
  const startUsage =
    response.usage.inputTokens === undefined ? undefined : { inputTokens: response.usage.inputTokens };
  events.push({
    type: 'message-start',
    id: response.id,
    model: response.model,
    ...(startUsage && { usage: startUsage }),
  });
  response.content.forEach((block, index) => {
    events.push({ type: 'block-start', index, block: blockInfo(block) });
    switch (block.type) {
      case 'text':
      case 'refusal':
        for (const text of splitWords(block.text)) events.push({ type: 'text-delta', index, text });
        break;
      case 'reasoning':
        for (const text of splitWords(block.text)) events.push({ type: 'reasoning-delta', index, text });
        if (block.signature !== undefined) {
          events.push({ type: 'reasoning-signature', index, signature: block.signature });
        }
        break;
      case 'tool-call':
        for (const argumentsDelta of splitPieces(block.arguments, ARGUMENT_PIECES)) {
          events.push({ type: 'tool-call-delta', index, argumentsDelta });
        }
        break;
      case 'redacted-reasoning':
        break;
    }
    events.push({ type: 'block-stop', index });
  });
  events.push({ type: 'usage', usage: response.usage });
  events.push({
    type: 'finish',
    reason: response.finishReason,
    ...(response.stopSequence !== undefined && { stopSequence: response.stopSequence }),
    usage: response.usage,
  });
  return events;
}

/** Replays a complete response as a canonical stream (pull-based: one event per read). */
export function simulateStream(response: CanonicalResponse): ReadableStream<StreamEvent> {
  const events = responseEvents(response);
  let next = 0;
  return new ReadableStream<StreamEvent>(
    {
      pull(controller) {
        const event = events[next++];
        if (event) controller.enqueue(event);
        if (next >= events.length) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}
