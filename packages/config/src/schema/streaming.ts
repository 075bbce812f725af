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

const resumeEntries = {
  enabled: v.optional(
    flag(
      'Keep each stream in a log so that a client whose connection drops can resume it (GET /v1/streams/{id}).',
    ),
    true,
  ),
  reconnect_grace_ms: v.optional(
    wholeNumber(0, 'How long (ms) the upstream keeps streaming into the log after the client disconnects.'),
    10_000,
  ),
  keep_ms: v.optional(wholeNumber(0, 'How long (ms) a finished stream stays resumable.'), 60_000),
  max_bytes_per_stream: v.optional(
    wholeNumber(1, 'Bytes kept per stream; a longer stream stops being resumable.'),
    8 * 1024 * 1024,
  ),
  max_bytes_total: v.optional(
    wholeNumber(1, 'Bytes kept over all streams; finished streams are evicted oldest first.'),
    256 * 1024 * 1024,
  ),
};

const resumeSchema = v.pipe(
  v.strictObject(resumeEntries, section('streaming.resume', Object.keys(resumeEntries))),
  v.description('Resumable streams: a dropped client reconnects with Last-Event-ID and loses nothing.'),
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
  resume: v.optional(resumeSchema, () => ({
    enabled: true,
    reconnect_grace_ms: 10_000,
    keep_ms: 60_000,
    max_bytes_per_stream: 8 * 1024 * 1024,
    max_bytes_total: 256 * 1024 * 1024,
  })),
};

export const streamingSchema = v.pipe(
  v.strictObject(entries, section('streaming', Object.keys(entries))),
  v.description('How responses are streamed to clients.'),
);
