/**
 * The `gemini` dialect as an upstream dialect: what the provider needs (build the body, decode the stream,
 * parse a whole body and an error). Gemini as a client dialect (parseRequest, encoders) is a later task.
 */
import type { UpstreamDialect } from '@tokenpak/provider';
import { buildRequest } from './build-request.ts';
import { createStreamDecoder } from './decode-stream.ts';
import { parseError } from './errors.ts';
import { parseResponse } from './parse-response.ts';

export const geminiDialect: UpstreamDialect = Object.freeze({
  name: 'gemini',
  buildRequest,
  createStreamDecoder: () => createStreamDecoder(),
  parseResponse,
  parseError,
});
