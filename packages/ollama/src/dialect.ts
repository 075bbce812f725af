/**
 * Ollama's native chat wire as a Dialect, upstream half only: `buildRequest`, `createStreamDecoder` (over
 * NDJSON values, not SSE messages: see the README), `parseResponse`, `parseError`. TokenPak never serves
 * Ollama's wire to clients, so the client-facing methods throw.
 */
import type { Dialect, SseMessage, StreamEvent } from '@tokenpak/provider';
import { stageToTransformStream } from '@tokenpak/provider';
import { buildRequest } from './build-request.ts';
import { createStreamDecoder } from './decode-stream.ts';
import { parseError } from './errors.ts';
import { parseResponse } from './parse-response.ts';

export const OLLAMA_DIALECT = 'ollama';

const notClient = (method: string) => (): never => {
  throw new Error(`ollama is not a client dialect: ${method} is not supported`);
};

export const ollamaChat: Dialect = {
  name: OLLAMA_DIALECT,
  buildRequest,
  // The decoder takes one parsed NDJSON value per push; the Dialect type says SseMessage (see README).
  createStreamDecoder,
  decodeStream: () =>
    stageToTransformStream(createStreamDecoder()) as unknown as TransformStream<SseMessage, StreamEvent>,
  parseResponse,
  parseError,
  parseRequest: notClient('parseRequest'),
  encodeStream: notClient('encodeStream'),
  createStreamEncoder: notClient('createStreamEncoder'),
  encodeResponse: notClient('encodeResponse'),
  encodeError: notClient('encodeError'),
  encodeErrorEvent: notClient('encodeErrorEvent'),
};
