/** The `openai-chat` dialect: OpenAI's Chat Completions wire format, in both directions. */
import type { Dialect, PassthroughResponseOptions } from '@tokenpak/provider';
import { passthroughJsonResponse } from '@tokenpak/provider-utils';
import { buildRequest } from './build-request.ts';
import { createStreamDecoder, decodeStream } from './decode-stream.ts';
import { encodeResponse } from './encode-response.ts';
import { createStreamEncoder, encodeStream } from './encode-stream.ts';
import { encodeError, encodeErrorEvent, parseError } from './errors.ts';
import { parseRawRequest, parseRequest } from './parse-request.ts';
import { parseResponse } from './parse-response.ts';
import { createOpenAIChatPassthroughWatcher } from './passthrough-watcher.ts';

export const openaiChat: Dialect = Object.freeze({
  name: 'openai-chat',
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
  createPassthroughWatcher: createOpenAIChatPassthroughWatcher,
  passthroughResponse: (body: unknown, options: PassthroughResponseOptions) =>
    passthroughJsonResponse(body, options, { modelKey: 'model', parseResponse }),
});
