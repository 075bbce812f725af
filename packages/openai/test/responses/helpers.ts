/** Shared helpers for the Responses tests: recordings through the decoder, and a validator of the wire order. */
import { readFileSync } from 'node:fs';
import type { EncodeStreamOptions, StreamEvent, WireEvent } from '@tokenpak/provider';
import { parseSse } from '@tokenpak/provider-utils';
import { openaiResponses } from '../../src/index.ts';

const FIXTURES = new URL('../fixtures/openai/', import.meta.url);

export const RECORDINGS = [
  'responses-error-insufficient-quota.sse',
  'responses-function-call.sse',
  'responses-reasoning-function-call.sse',
  'responses-text.sse',
];

export function readRecording(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

export type Split = 'whole' | 'bytes' | 'crlf';

function bytesOf(text: string, split: Split): ReadableStream<Uint8Array> {
  const source = split === 'crlf' ? text.replaceAll('\n', '\r\n') : text;
  const bytes = new TextEncoder().encode(source);
  return new ReadableStream({
    start(controller) {
      if (split === 'bytes')
        for (let i = 0; i < bytes.length; i++) controller.enqueue(bytes.subarray(i, i + 1));
      else controller.enqueue(bytes);
      controller.close();
    },
  });
}

export async function collect<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream as unknown as AsyncIterable<T>) out.push(item);
  return out;
}

export function decodeWire(text: string, split: Split = 'whole'): Promise<StreamEvent[]> {
  return collect(parseSse(bytesOf(text, split)).pipeThrough(openaiResponses.decodeStream()));
}

/** Runs events through the synchronous encoder stage (as the server does). */
export function encodeEvents(
  events: StreamEvent[],
  options: EncodeStreamOptions = { model: 'my-alias' },
): WireEvent[] {
  const stage = openaiResponses.createStreamEncoder(options);
  const out: WireEvent[] = [];
  const emit = (event: WireEvent) => out.push(event);
  for (const event of events) stage.push(event, emit);
  stage.end(emit);
  return out;
}

/** SSE framing as the server writes it: `event:` then `data:`. */
export function frameSse(events: WireEvent[]): string {
  return events
    .map((event) => `${event.event ? `event: ${event.event}\n` : ''}data: ${event.data}\n\n`)
    .join('');
}

export type Json = Record<string, any>;

export function payloads(events: WireEvent[]): Json[] {
  return events.map((event) => JSON.parse(event.data) as Json);
}

interface ItemTrack {
  item: Json;
  done: boolean;
  parts: Array<{ type: string; text: string; textDone: boolean; done: boolean }>;
  args: string;
  argsDone: boolean;
  summary: string;
  summaryState: 'none' | 'open' | 'text-done' | 'done';
}

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/**
 * Checks a Responses stream against the API's event order, and returns the final response object:
 * `event:` = `type`; `sequence_number` 0, 1, 2…; `response.created` then `response.in_progress` first;
 * items announced with `output_index` = their place; parts announced before their deltas; deltas only inside
 * open parts and items, with matching `item_id` / `output_index` / `content_index`; every `.done` carries the
 * concatenation of its deltas; `output_item.done` only after its parts are done and with the whole item;
 * `error` only right before `response.failed`; one terminal event, last, whose `output` equals the items sent.
 */
export function assertResponsesOrder(events: WireEvent[]): Json {
  const fail = (at: number, message: string): never => {
    throw new Error(`event ${at} (${events[at]?.event}): ${message}`);
  };
  const items: ItemTrack[] = [];
  let terminal: Json | undefined;
  const data = payloads(events);
  data.forEach((event, at) => {
    if (terminal) fail(at, 'comes after the terminal event');
    if (events[at]?.event !== event.type)
      fail(at, `event name ${events[at]?.event} differs from type ${event.type}`);
    if (event.sequence_number !== at) fail(at, `sequence_number ${event.sequence_number}, expected ${at}`);
    if (at === 0 && event.type !== 'response.created')
      fail(at, 'the stream must start with response.created');
    if (at === 1 && event.type !== 'response.in_progress') fail(at, 'response.in_progress must come second');
    const track = typeof event.output_index === 'number' ? items[event.output_index] : undefined;
    const needItem = (type: string): ItemTrack => {
      if (!track) return fail(at, `no item at output_index ${event.output_index}`);
      if (track.done) fail(at, 'the item is already done');
      if (track.item.type !== type) fail(at, `the item is a ${track.item.type}, not a ${type}`);
      if ('item_id' in event && event.item_id !== track.item.id) fail(at, 'item_id does not match the item');
      return track;
    };
    const needPart = (t: ItemTrack) => {
      const part = t.parts[event.content_index];
      if (!part) return fail(at, `no content part ${event.content_index}`);
      if (part.done) fail(at, 'the content part is already done');
      return part;
    };
    switch (event.type) {
      case 'response.created':
      case 'response.in_progress':
        if (at > 1) fail(at, 'only at the start');
        if (event.response?.object !== 'response' || event.response.status !== 'in_progress')
          fail(at, 'must carry an in_progress response object');
        return;
      case 'response.output_item.added':
        if (event.output_index !== items.length) fail(at, `output_index must be ${items.length}`);
        if (typeof event.item?.id !== 'string') fail(at, 'the item needs an id');
        if (event.item.type === 'function_call' && event.item.arguments !== '')
          fail(at, "arguments must be ''");
        items.push({
          item: event.item,
          done: false,
          parts: [],
          args: '',
          argsDone: false,
          summary: '',
          summaryState: 'none',
        });
        return;
      case 'response.content_part.added': {
        const t = needItem('message');
        if (event.content_index !== t.parts.length) fail(at, `content_index must be ${t.parts.length}`);
        t.parts.push({ type: event.part.type, text: '', textDone: false, done: false });
        return;
      }
      case 'response.output_text.delta':
      case 'response.refusal.delta': {
        const part = needPart(needItem('message'));
        const type = event.type === 'response.refusal.delta' ? 'refusal' : 'output_text';
        if (part.type !== type || part.textDone) fail(at, `no open ${type} part`);
        part.text += event.delta;
        return;
      }
      case 'response.output_text.done':
      case 'response.refusal.done': {
        const part = needPart(needItem('message'));
        const text = event.type === 'response.refusal.done' ? event.refusal : event.text;
        if (text !== part.text)
          fail(at, `text ${JSON.stringify(text)} is not the deltas ${JSON.stringify(part.text)}`);
        part.textDone = true;
        return;
      }
      case 'response.content_part.done': {
        const part = needPart(needItem('message'));
        if (!part.textDone) fail(at, 'the text .done event must come first');
        const text = part.type === 'refusal' ? event.part.refusal : event.part.text;
        if (text !== part.text) fail(at, 'the part does not hold the whole text');
        part.done = true;
        return;
      }
      case 'response.function_call_arguments.delta': {
        const t = needItem('function_call');
        if (t.argsDone) fail(at, 'arguments are already done');
        t.args += event.delta;
        return;
      }
      case 'response.function_call_arguments.done': {
        const t = needItem('function_call');
        if (event.arguments !== t.args) fail(at, 'arguments are not the deltas');
        t.argsDone = true;
        return;
      }
      case 'response.reasoning_summary_part.added': {
        const t = needItem('reasoning');
        if (t.summaryState !== 'none') fail(at, 'a second summary part');
        t.summaryState = 'open';
        return;
      }
      case 'response.reasoning_summary_text.delta': {
        const t = needItem('reasoning');
        if (t.summaryState !== 'open') fail(at, 'the summary part is not open');
        t.summary += event.delta;
        return;
      }
      case 'response.reasoning_summary_text.done': {
        const t = needItem('reasoning');
        if (t.summaryState !== 'open' || event.text !== t.summary) fail(at, 'summary text does not match');
        t.summaryState = 'text-done';
        return;
      }
      case 'response.reasoning_summary_part.done': {
        const t = needItem('reasoning');
        if (t.summaryState !== 'text-done' || event.part.text !== t.summary)
          fail(at, 'summary part does not match');
        t.summaryState = 'done';
        return;
      }
      case 'response.output_item.done': {
        const t = track ?? fail(at, 'unknown item');
        if (t.done) fail(at, 'done twice');
        if (event.item.id !== t.item.id || event.item.type !== t.item.type)
          fail(at, 'not the item that was added');
        if (t.item.type === 'message') {
          if (t.parts.some((part) => !part.done)) fail(at, 'a content part is not done');
          const texts = event.item.content.map((part: Json) => part.text ?? part.refusal);
          if (JSON.stringify(texts) !== JSON.stringify(t.parts.map((part) => part.text)))
            fail(at, 'content differs');
        } else if (t.item.type === 'function_call') {
          if (!t.argsDone || event.item.arguments !== t.args) fail(at, 'arguments differ or are not done');
          if (event.item.call_id !== t.item.call_id || event.item.name !== t.item.name)
            fail(at, 'call differs');
        } else if (t.item.type === 'reasoning') {
          if (t.summaryState === 'open' || t.summaryState === 'text-done')
            fail(at, 'the summary part is open');
          const summary = event.item.summary.map((part: Json) => part.text).join('');
          if (summary !== t.summary) fail(at, 'summary differs');
        }
        t.done = true;
        t.item = event.item;
        return;
      }
      case 'error':
        if (data[at + 1]?.type !== 'response.failed') fail(at, 'error must be followed by response.failed');
        if (typeof event.code !== 'string' || typeof event.message !== 'string') fail(at, 'code and message');
        return;
      default:
        if (!TERMINAL.has(event.type)) fail(at, `unexpected event type ${event.type}`);
        terminal = event.response;
        if (event.response?.object !== 'response') fail(at, 'must carry the response object');
        if (`response.${event.response.status}` !== event.type) fail(at, `status ${event.response.status}`);
        if (event.type !== 'response.failed') {
          if (items.some((t) => !t.done)) fail(at, 'an item is not done');
          if (JSON.stringify(event.response.output) !== JSON.stringify(items.map((t) => t.item)))
            fail(at, 'output differs from the items sent');
          if (typeof event.response.usage?.total_tokens !== 'number') fail(at, 'usage is missing');
        } else if (typeof event.response.error?.code !== 'string') fail(at, 'response.error.code is missing');
        return;
    }
  });
  if (!terminal) throw new Error('the stream has no terminal event');
  return terminal;
}
