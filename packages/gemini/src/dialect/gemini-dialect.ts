/**
 * The `gemini` dialect, both ways: the upstream half (build the body, decode the stream, parse a whole body
 * and an error) that the `gemini` provider uses, and the client half (parse a `GenerateContentRequest`,
 * encode frames, bodies and errors, watch forwarded bytes) that lets the `@google/genai` SDK talk to TokenPak.
 * The model, the operation and the framing are in the URL: `readTarget` reads them for the server.
 */
import type { Dialect, PassthroughResponseOptions } from '@tokenpak/provider';
import { passthroughJsonResponse } from '@tokenpak/provider-utils';
import { buildRequest } from './build-request.ts';
import { createStreamDecoder, decodeStream } from './decode-stream.ts';
import { GEMINI_DIALECT } from './dialect-name.ts';
import { encodeError, encodeErrorEvent } from './encode-error.ts';
import { encodeResponse } from './encode-response.ts';
import { createStreamEncoder, encodeStream } from './encode-stream.ts';
import { parseError } from './errors.ts';
import { parseRawRequest, parseRequest } from './parse-request.ts';
import { parseResponse } from './parse-response.ts';
import { createGeminiPassthroughWatcher } from './passthrough-watcher.ts';
import { readTarget } from './target.ts';

export const geminiDialect: Dialect = Object.freeze({
  name: GEMINI_DIALECT,
  buildRequest,
  createStreamDecoder: () => createStreamDecoder(),
  decodeStream,
  parseResponse,
  parseError,
  parseRequest,
  parseRawRequest,
  readTarget,
  encodeStream,
  createStreamEncoder,
  encodeResponse,
  encodeError,
  encodeErrorEvent,
  createPassthroughWatcher: createGeminiPassthroughWatcher,
  passthroughResponse: (body: unknown, options: PassthroughResponseOptions) =>
    passthroughJsonResponse(body, options, { modelKey: 'modelVersion', parseResponse }),
  // The @google/genai SDK reads an SSE event as `data:` + JSON and nothing else: no `id:` lines.
  sseEventIds: false,
  // The SDK sends its key as x-goog-api-key and names itself in x-goog-api-client on every request.
  recognizesClient: (headers: Headers) => headers.has('x-goog-api-key') || headers.has('x-goog-api-client'),
});
