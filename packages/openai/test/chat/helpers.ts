/** Shared test helpers: feeding recordings through parseSse → decodeStream, and reading the events back. */
import { readdirSync, readFileSync } from 'node:fs';
import type { ProviderError, StreamEvent, WireEvent } from '@tokenpak/provider';
import { parseSse } from '@tokenpak/provider-utils';
import { openaiChat } from '../../src/index.ts';

const FIXTURES = new URL('../fixtures/', import.meta.url);

/** Every Chat Completions recording: openai/chat-*.sse and openai-compatible/*.sse. */
export const chatFixtures: string[] = [
  ...readdirSync(new URL('openai/', FIXTURES))
    .filter((name) => name.startsWith('chat-') && name.endsWith('.sse'))
    .map((name) => `openai/${name}`),
  ...readdirSync(new URL('openai-compatible/', FIXTURES))
    .filter((name) => name.endsWith('.sse'))
    .map((name) => `openai-compatible/${name}`),
].sort();

export function readFixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

export function bytesOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

export type Split = 'whole' | 'bytes' | 'crlf';

/** The recording as network chunks: in one piece, one byte per chunk, or whole with CRLF line ends. */
export function chunksOf(text: string, split: Split): Uint8Array[] {
  if (split === 'crlf') return [new TextEncoder().encode(text.replaceAll('\n', '\r\n'))];
  const bytes = new TextEncoder().encode(text);
  if (split === 'whole') return [bytes];
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i++) out.push(bytes.subarray(i, i + 1));
  return out;
}

export async function collect<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream as unknown as AsyncIterable<T>) out.push(item);
  return out;
}

export function decodeWire(text: string, split: Split = 'whole'): Promise<StreamEvent[]> {
  return collect(parseSse(bytesOf(chunksOf(text, split))).pipeThrough(openaiChat.decodeStream()));
}

export async function encodeEvents(
  events: StreamEvent[],
  options: { model: string; id?: string; includeUsage?: boolean },
): Promise<WireEvent[]> {
  const source = new ReadableStream<StreamEvent>({
    start(controller) {
      for (const event of events) controller.enqueue(event);
      controller.close();
    },
  });
  return collect(source.pipeThrough(openaiChat.encodeStream(options)));
}

/** SSE framing as the server writes it for OpenAI clients. */
export function frameSse(events: WireEvent[]): string {
  return events.map((event) => `data: ${event.data}\n\n`).join('');
}

export interface Summary {
  id: string;
  model: string;
  text: string;
  refusal: string;
  reasoning: string;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  finish?: Extract<StreamEvent, { type: 'finish' }>;
  error?: ProviderError;
  blockTypes: string[];
}

/**
 * Reads a canonical stream back into what a user sees, and checks the stream's shape on the way:
 * message-start first; deltas only inside open blocks of the right type; every block closed once before
 * the finish; finish or error last, and exactly one of them.
 */
export function summarize(events: StreamEvent[]): Summary {
  const summary: Summary = {
    id: '',
    model: '',
    text: '',
    refusal: '',
    reasoning: '',
    toolCalls: [],
    blockTypes: [],
  };
  const open = new Map<number, string>();
  const seen = new Set<number>();
  const toolByBlock = new Map<number, Summary['toolCalls'][number]>();
  let started = false;
  events.forEach((event, position) => {
    const where = `event ${position} (${event.type})`;
    if (summary.finish || summary.error) throw new Error(`${where} comes after the end of the stream`);
    if (event.type !== 'message-start' && event.type !== 'error' && !started) {
      throw new Error(`${where} comes before message-start`);
    }
    switch (event.type) {
      case 'message-start':
        if (started) throw new Error(`${where}: a second message-start`);
        started = true;
        summary.id = event.id;
        summary.model = event.model;
        return;
      case 'block-start':
        if (seen.has(event.index)) throw new Error(`${where}: block ${event.index} started twice`);
        if (event.index !== seen.size) throw new Error(`${where}: blocks must be numbered in order`);
        seen.add(event.index);
        open.set(event.index, event.block.type);
        summary.blockTypes.push(event.block.type);
        if (event.block.type === 'tool-call') {
          const call = { id: event.block.id, name: event.block.name, arguments: '' };
          summary.toolCalls.push(call);
          toolByBlock.set(event.index, call);
        }
        return;
      case 'text-delta': {
        const type = open.get(event.index);
        if (type === 'text') summary.text += event.text;
        else if (type === 'refusal') summary.refusal += event.text;
        else throw new Error(`${where}: text delta for a block that is ${type ?? 'not open'}`);
        return;
      }
      case 'reasoning-delta':
        if (open.get(event.index) !== 'reasoning') throw new Error(`${where}: not an open reasoning block`);
        summary.reasoning += event.text;
        return;
      case 'tool-call-delta': {
        const call = toolByBlock.get(event.index);
        if (!call || open.get(event.index) !== 'tool-call')
          throw new Error(`${where}: not an open tool-call block`);
        call.arguments += event.argumentsDelta;
        return;
      }
      case 'block-stop':
        if (!open.has(event.index)) throw new Error(`${where}: block ${event.index} is not open`);
        open.delete(event.index);
        return;
      case 'finish':
        if (open.size > 0) throw new Error(`${where}: blocks ${[...open.keys()].join(', ')} are still open`);
        summary.finish = event;
        return;
      case 'error':
        summary.error = event.error;
        return;
      default:
        return;
    }
  });
  if (!summary.finish && !summary.error) throw new Error('the stream ended with neither finish nor error');
  return summary;
}
