/**
 * The `gemini` dialect as an upstream dialect: what the provider needs (build the body, decode the stream,
 * parse a whole body and an error). Gemini as a client dialect (parseRequest, encoders) is a later task: those
 * methods throw.
 */
import type { Dialect } from '@tokenpak/provider';
import { buildRequest } from './build-request.ts';
import { createStreamDecoder, decodeStream } from './decode-stream.ts';
import { parseError } from './errors.ts';
import { parseResponse } from './parse-response.ts';

function notClientDialect(method: string): never {
  throw new Error(
    `gemini.${method}: not implemented as a client dialect (the gemini dialect is upstream-only for now)`,
  );
}

export const geminiDialect: Dialect = {
  name: 'gemini',
  buildRequest,
  createStreamDecoder: () => createStreamDecoder(),
  decodeStream,
  parseResponse,
  parseError,
  parseRequest: () => notClientDialect('parseRequest'),
  encodeStream: () => notClientDialect('encodeStream'),
  createStreamEncoder: () => notClientDialect('createStreamEncoder'),
  encodeResponse: () => notClientDialect('encodeResponse'),
  encodeError: () => notClientDialect('encodeError'),
  encodeErrorEvent: () => notClientDialect('encodeErrorEvent'),
};
