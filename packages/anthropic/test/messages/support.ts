/** Test helpers: byte streams from text, collection, and an independent reassembly of canonical events. */
import { readdirSync, readFileSync } from 'node:fs';
import type { StreamEvent, Usage, WireEvent } from '@tokenpak/provider';
import { parseSse } from '@tokenpak/provider-utils';
import { anthropicMessages } from '../../src/index.ts';

export const FIXTURES = new URL('../fixtures/anthropic/', import.meta.url);

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.sse'))
    .sort();
}

export function readFixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

/** A byte stream that delivers `chunks` one by one (each chunk is UTF-8 text or raw bytes). */
export function byteStream(chunks: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      const chunk = chunks[i++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
    },
  });
}

/** Every byte of `text` as its own chunk (splits multi-byte characters too). */
export function oneBytePerChunk(text: string): Uint8Array[] {
  return Array.from(new TextEncoder().encode(text), (byte) => Uint8Array.of(byte));
}

export async function collect<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

export function decodeBytes(bytes: ReadableStream<Uint8Array>): Promise<StreamEvent[]> {
  return collect(parseSse(bytes).pipeThrough(anthropicMessages.decodeStream()));
}

export function eventsOf(items: StreamEvent[]): ReadableStream<StreamEvent> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      const item = items[i++];
      if (item === undefined) controller.close();
      else controller.enqueue(item);
    },
  });
}

/** Client wire events framed as SSE text, the way the server frames them. */
export function frameSse(events: WireEvent[]): string {
  return events.map((e) => `${e.event ? `event: ${e.event}\n` : ''}data: ${e.data}\n\n`).join('');
}

export interface Reassembled {
  id?: string;
  model?: string;
  blocks: Array<
    | { index: number; type: 'text' | 'refusal'; text: string }
    | { index: number; type: 'reasoning'; text: string; signature?: string }
    | { index: number; type: 'redacted-reasoning'; data: string }
    | { index: number; type: 'tool-call'; id: string; name: string; input: unknown }
  >;
  finish?: { reason: string; stopSequence?: string; usage: Usage };
  error?: { type: string; status: number; message: string; retryable: boolean };
  /** Structural problems seen (delta before start, after stop, events after the end...). */
  problems: string[];
}

/** Reassembles canonical events, checking the order the contract promises. */
export function reassemble(events: StreamEvent[]): Reassembled {
  const out: Reassembled = { blocks: [], problems: [] };
  const open = new Map<number, Reassembled['blocks'][number] & { args?: string }>();
  let ended = false;
  for (const event of events) {
    if (ended) out.problems.push(`event after the end: ${event.type}`);
    switch (event.type) {
      case 'message-start':
        out.id = event.id;
        out.model = event.model;
        break;
      case 'block-start': {
        const b = event.block;
        const block =
          b.type === 'tool-call'
            ? { index: event.index, type: b.type, id: b.id, name: b.name, input: undefined, args: '' }
            : b.type === 'redacted-reasoning'
              ? { index: event.index, type: b.type, data: b.data }
              : b.type === 'reasoning'
                ? {
                    index: event.index,
                    type: b.type,
                    text: '',
                    ...(b.signature && { signature: b.signature }),
                  }
                : { index: event.index, type: b.type, text: '' };
        if (open.has(event.index)) out.problems.push(`block ${event.index} started twice`);
        open.set(event.index, block as never);
        out.blocks.push(block as never);
        break;
      }
      case 'text-delta':
      case 'reasoning-delta': {
        const block = open.get(event.index);
        if (!block || !('text' in block))
          out.problems.push(`${event.type} for block ${event.index} not open`);
        else block.text += event.text;
        break;
      }
      case 'reasoning-signature': {
        const block = open.get(event.index);
        if (block?.type !== 'reasoning') out.problems.push(`signature for block ${event.index} not open`);
        else block.signature = (block.signature ?? '') + event.signature;
        break;
      }
      case 'tool-call-delta': {
        const block = open.get(event.index);
        if (block?.type !== 'tool-call') out.problems.push(`arguments for block ${event.index} not open`);
        else block.args += event.argumentsDelta;
        break;
      }
      case 'block-stop': {
        const block = open.get(event.index);
        if (!block) out.problems.push(`stop for block ${event.index} not open`);
        else if (block.type === 'tool-call') {
          block.input = block.args ? JSON.parse(block.args) : {};
          delete block.args;
        }
        open.delete(event.index);
        break;
      }
      case 'usage':
        break;
      case 'finish':
        if (open.size > 0) out.problems.push(`finish with open blocks ${[...open.keys()].join(',')}`);
        out.finish = {
          reason: event.reason,
          ...(event.stopSequence !== undefined && { stopSequence: event.stopSequence }),
          usage: event.usage,
        };
        ended = true;
        break;
      case 'error':
        out.error = {
          type: event.error.type,
          status: event.error.status,
          message: event.error.message,
          retryable: event.error.retryable,
        };
        ended = true;
        break;
    }
  }
  if (!ended) out.problems.push('no finish or error at the end');
  return out;
}
