import * as v from 'valibot';
import { expected, oneOf, section } from './messages.ts';
import { flag, wholeNumber } from './numbers.ts';

export const STREAM_FORMATS = ['sse', 'chunked'] as const;
export type StreamFormat = (typeof STREAM_FORMATS)[number];

/** Coalescing knobs shared by `streaming` and per-model overrides. */
export const bufferTokensSchema = wholeNumber(
  1,
  'Tokens gathered before a chunk is sent to the client; 1 passes every token through as it arrives.',
);
export const flushIntervalSchema = wholeNumber(
  0,
  'Longest time (ms) a buffered token waits before it is sent anyway; 0 turns the timer off.',
);

const formatsSchema = v.pipe(
  v.array(
    v.picklist(STREAM_FORMATS, oneOf('streaming format', STREAM_FORMATS)),
    expected('a list of formats'),
  ),
  v.minLength(
    1,
    () => 'must list at least one format (sse, chunked); set enabled: false to turn streaming off',
  ),
  v.check(
    (formats) => new Set(formats).size === formats.length,
    (issue) => `lists a format twice: ${JSON.stringify(issue.input)}`,
  ),
  v.description(
    'Wire formats offered to clients: sse (text/event-stream) and chunked (newline-delimited JSON).',
  ),
);

const entries = {
  enabled: v.optional(
    flag(
      'Stream responses to clients that ask for it. false: a request with "stream": true gets a 400 (streaming is off); others are answered whole.',
    ),
    true,
  ),
  formats: v.optional(formatsSchema, () => [...STREAM_FORMATS]),
  buffer_tokens: v.optional(bufferTokensSchema, 1),
  flush_interval_ms: v.optional(flushIntervalSchema, 50),
  max_concurrent_streams: v.optional(
    wholeNumber(1, 'Streams served at once; more get 429 in the client dialect.'),
    1000,
  ),
  heartbeat_ms: v.optional(
    wholeNumber(0, 'Idle time (ms) after which an SSE comment keeps the connection open; 0 turns it off.'),
    15000,
  ),
};

export const streamingSchema = v.pipe(
  v.strictObject(entries, section('streaming', Object.keys(entries))),
  v.description('How responses are streamed to clients.'),
);
