/** Helpers for the translation tests: fixtures, the decode → encode pipeline, small synthetic streams. */
import { readFileSync } from 'node:fs';
import type { Dialect, StreamEvent, WireEvent } from '@tokenpak/provider';
import { parseSse } from '@tokenpak/provider-utils';
import { fixtureUrl } from '../helpers/fixtures.ts';

export function readFixture(name: string): string {
  return readFileSync(fixtureUrl(name), 'utf8');
}

export function textStream(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

export function streamOf<T>(items: T[]): ReadableStream<T> {
  return new ReadableStream({
    start(controller) {
      for (const item of items) controller.enqueue(item);
      controller.close();
    },
  });
}

export async function collect<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream as unknown as AsyncIterable<T>) out.push(item);
  return out;
}

/** Upstream SSE text → canonical events, as the provider dialect reads them. */
export function decode(provider: Dialect, sse: string): Promise<StreamEvent[]> {
  return collect(parseSse(textStream(sse)).pipeThrough(provider.decodeStream()));
}

/** Canonical events → the client's wire events, with the options the server uses. */
export function encode(client: Dialect, events: StreamEvent[]): Promise<WireEvent[]> {
  return collect(streamOf(events).pipeThrough(client.encodeStream({ model: 'alias', includeUsage: true })));
}

/** The whole path a streamed answer takes through the proxy: upstream SSE → canonical → client wire. */
export async function translate(provider: Dialect, client: Dialect, sse: string): Promise<WireEvent[]> {
  return encode(client, await decode(provider, sse));
}

/** Synthetic upstream wire: Anthropic SSE events from plain objects (`event:` name = `type`). */
export function anthropicSse(events: Array<Record<string, unknown>>): string {
  return events.map((event) => `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`).join('');
}

/** Synthetic upstream wire: Chat Completions chunks from plain objects, then `[DONE]`. */
export function openaiSse(chunks: Array<Record<string, unknown>>, done = true): string {
  const body = chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('');
  return done ? `${body}data: [DONE]\n\n` : body;
}

/** A Chat Completions chunk with one choice (or `choices: []` when `delta` is null). */
export function chunk(
  delta: Record<string, unknown> | null,
  finishReason: string | null = null,
  usage?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    id: 'chatcmpl-synthetic',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o-2024-08-06',
    choices: delta === null ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(usage && { usage }),
  };
}
