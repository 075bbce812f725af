/** The `openai-responses` dialect: OpenAI's Responses API wire format, in both directions. */
import type { Dialect, PassthroughResponseOptions } from '@tokenpak/provider';
import { passthroughJsonResponse } from '@tokenpak/provider-utils';
import { buildRequest } from './build-request.ts';
import { createStreamDecoder, decodeStream } from './decode-stream.ts';
import { encodeResponse } from './encode-response.ts';
import { createStreamEncoder, encodeStream } from './encode-stream.ts';
import { encodeError, encodeErrorEvent, parseError } from './errors.ts';
import { mintResponseId } from './mint-id.ts';
import { parseRawRequest, parseRequest } from './parse-request.ts';
import { parseResponse } from './parse-response.ts';
import { createOpenAIResponsesPassthroughWatcher } from './passthrough-watcher.ts';

export const openaiResponses: Dialect = Object.freeze({
  name: 'openai-responses',
  parseRequest,
  parseRawRequest,
  buildRequest,
  decodeStream,
  createStreamDecoder,
  parseResponse,
  encodeStream,
  createStreamEncoder,
  encodeResponse,
  encodeError,
  encodeErrorEvent,
  parseError,
  createPassthroughWatcher: createOpenAIResponsesPassthroughWatcher,
  passthroughResponse: (body: unknown, options: PassthroughResponseOptions) =>
    passthroughJsonResponse(body, options, { modelKey: 'model', parseResponse }),
  mintResponseId,
});
