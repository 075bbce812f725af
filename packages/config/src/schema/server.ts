import * as v from 'valibot';
import { describe, expected, section } from './messages.ts';
import { boundedWholeNumber, text, wholeNumber } from './numbers.ts';

/** A browser origin as sent in the `Origin` header: scheme://host[:port], no path, no trailing slash. */
const ORIGIN = /^https?:\/\/[^/\s?#]+$/;

function notAnOrigin(issue: v.BaseIssue<unknown>): string {
  return `${describe(issue.input)} is not an origin: write scheme://host[:port] without a path or trailing slash, e.g. 'https://app.example.com'`;
}

const origins = v.pipe(
  v.array(v.pipe(v.string(notAnOrigin), v.regex(ORIGIN, notAnOrigin))),
  v.minLength(1, () => 'is an empty list: list at least one origin, or write false to turn CORS off'),
);

const cors = v.pipe(
  v.union(
    [v.boolean(), origins],
    (issue) => `expected true, false or a list of origins, got ${describe(issue.input)}`,
  ),
  v.description(
    'Answer browsers: false (off), true (any origin) or the list of origins allowed (https://app.example.com).',
  ),
);

/** Worker processes on the one port: a whole number >= 1, or `auto` (the machine's cores). */
const notWorkers = (issue: v.BaseIssue<unknown>): string =>
  `expected a whole number >= 1 or 'auto', got ${describe(issue.input)}`;
const workers = v.pipe(
  v.union(
    [v.pipe(v.number(notWorkers), v.integer(notWorkers), v.minValue(1, notWorkers)), v.literal('auto')],
    notWorkers,
  ),
  v.description(
    "Worker processes serving the one port (node:cluster); 'auto' = the machine's cores. 1: no cluster, one process.",
  ),
);

const entries = {
  host: v.optional(text('a host name or IP address', 'Address to listen on.'), '127.0.0.1'),
  port: v.optional(boundedWholeNumber(0, 65535, 'Port to listen on; 0 picks a free port.'), 8000),
  api_keys: v.optional(
    v.pipe(
      v.array(text('a key', 'A key clients may present.'), expected('a list of keys')),
      v.minLength(1, () => 'is an empty list: list at least one key, or remove api_keys to turn auth off'),
      v.description('When set, clients must present one of these keys (Authorization: Bearer or x-api-key).'),
    ),
  ),
  max_body_bytes: v.optional(wholeNumber(1, 'Largest request body accepted, in bytes.'), 10_485_760),
  default_max_tokens: v.optional(
    wholeNumber(1, 'max_tokens sent upstream when the client gives none and the upstream needs one.'),
    4096,
  ),
  shutdown_grace_ms: v.optional(
    wholeNumber(0, 'On shutdown, how long (ms) open streams may finish before they are cut.'),
    10_000,
  ),
  cors: v.optional(cors, false),
  workers: v.optional(workers, 1),
  response_store: v.optional(
    v.pipe(
      v.strictObject(
        {
          max_entries: v.optional(
            wholeNumber(0, 'Responses kept for previous_response_id (0 turns the store off).'),
            1000,
          ),
          ttl_ms: v.optional(wholeNumber(1, 'How long (ms) a stored response is kept.'), 3_600_000),
        },
        section('server.response_store', ['max_entries', 'ttl_ms']),
      ),
      v.description(
        'Responses API state for upstreams that keep none: recent responses, answered for previous_response_id and GET /v1/responses/{id}.',
      ),
    ),
    () => ({ max_entries: 1000, ttl_ms: 3_600_000 }),
  ),
};

export const serverSchema = v.pipe(
  v.strictObject(entries, section('server', Object.keys(entries))),
  v.description('The HTTP listener.'),
);
