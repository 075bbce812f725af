/** The documented-format fixtures of test/fixtures (see its README), loaded, and encoded as Bedrock sends them. */
import { readdirSync, readFileSync } from 'node:fs';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

export type StreamFrame =
  | { event: string; payload: Record<string, unknown> }
  | { exception: string; payload: Record<string, unknown> };

export interface StreamFixture {
  name: string;
  about: string;
  model: string;
  frames: StreamFrame[];
}

export interface ConverseFixture {
  name: string;
  about: string;
  model: string;
  body: Record<string, unknown>;
}

export interface ErrorFixture {
  name: string;
  about: string;
  status: number;
  errorType: string;
  body: Record<string, unknown>;
}

const folder = (sub: string) => new URL(`../fixtures/${sub}/`, import.meta.url);

function load<T>(sub: string): T[] {
  return readdirSync(folder(sub))
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      name: file.replace(/\.json$/, ''),
      ...JSON.parse(readFileSync(new URL(file, folder(sub)), 'utf8')),
    }));
}

export const streamFixtures = (): StreamFixture[] => load<StreamFixture>('stream');
export const converseFixtures = (): ConverseFixture[] => load<ConverseFixture>('converse');
export const errorFixtures = (): ErrorFixture[] => load<ErrorFixture>('errors');

export function streamFixture(name: string): StreamFixture {
  const found = streamFixtures().find((f) => f.name === name);
  if (!found) throw new Error(`no stream fixture ${name}`);
  return found;
}

export function converseFixture(name: string): ConverseFixture {
  const found = converseFixtures().find((f) => f.name === name);
  if (!found) throw new Error(`no converse fixture ${name}`);
  return found;
}

export function errorFixture(name: string): ErrorFixture {
  const found = errorFixtures().find((f) => f.name === name);
  if (!found) throw new Error(`no error fixture ${name}`);
  return found;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const text = (value: string) => ({ type: 'string' as const, value });

/** One frame as `application/vnd.amazon.eventstream` bytes, encoded by AWS's codec. */
export function encodeFrame(frame: StreamFrame): Uint8Array {
  const kind: Record<string, ReturnType<typeof text>> = 'event' in frame
    ? { ':message-type': text('event'), ':event-type': text(frame.event) }
    : { ':message-type': text('exception'), ':exception-type': text(frame.exception) };
  const headers = { ...kind, ':content-type': text('application/json') };
  return codec.encode({ headers, body: fromUtf8(JSON.stringify(frame.payload)) });
}

/** Every frame of a stream, back to back. */
export function encodeFrames(frames: readonly StreamFrame[]): Uint8Array {
  const parts = frames.map(encodeFrame);
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
