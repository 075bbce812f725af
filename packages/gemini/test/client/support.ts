/** Helpers for the client-half tests: recordings as frames, decoded and re-encoded without HTTP. */
import { readFileSync } from 'node:fs';
import type { StreamEvent, WireEvent } from '@tokenpak/provider';
import {
  createStreamDecoder,
  createStreamEncoder,
  type GeminiPart,
  type GeminiResponse,
} from '../../src/index.ts';

export const RECORDINGS = [
  'text',
  'thinking',
  'function-call-thought-signature',
  'function-calls-parallel',
] as const;

export function recording(name: string): string {
  return readFileSync(new URL(`../fixtures/gemini/${name}.sse`, import.meta.url), 'utf8');
}

/** The frames of a recording, parsed as a test reads them (not with the package's decoder). */
export function framesOf(wire: string): GeminiResponse[] {
  return wire
    .split(/\r?\n\r?\n/)
    .filter((block) => block.startsWith('data:'))
    .map((block) => JSON.parse(block.slice('data:'.length)) as GeminiResponse);
}

export function partsOf(frames: GeminiResponse[]): GeminiPart[] {
  return frames.flatMap((frame) => frame.candidates?.[0]?.content?.parts ?? []);
}

/** A recording through the upstream decoder: the canonical events. */
export function decodeRecording(wire: string): StreamEvent[] {
  const events: StreamEvent[] = [];
  const decoder = createStreamDecoder();
  const emit = (event: StreamEvent) => events.push(event);
  for (const frame of framesOf(wire)) decoder.push({ data: JSON.stringify(frame) }, emit);
  decoder.end(emit);
  return events;
}

/** Canonical events through the client encoder: its wire events. */
export function encodeEvents(events: StreamEvent[], options = { model: 'alias', id: 'resp-1' }): WireEvent[] {
  const out: WireEvent[] = [];
  const encoder = createStreamEncoder(options);
  const emit = (event: WireEvent) => out.push(event);
  for (const event of events) encoder.push(event, emit);
  encoder.end(emit);
  return out;
}

/** Text that is not thought, joined. */
export function answerText(parts: GeminiPart[]): string {
  return parts
    .filter((part) => !part.thought && typeof part.text === 'string')
    .map((part) => part.text)
    .join('');
}

export function thoughtText(parts: GeminiPart[]): string {
  return parts
    .filter((part) => part.thought)
    .map((part) => part.text)
    .join('');
}
