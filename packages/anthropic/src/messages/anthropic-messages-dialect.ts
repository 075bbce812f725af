/** The `anthropic-messages` wire dialect (`POST /v1/messages`), both directions. */
import type { Dialect, PassthroughResponseOptions } from '@tokenpak/provider';
import { passthroughJsonResponse } from '@tokenpak/provider-utils';
import { buildRequest } from './build-request.ts';
import { createStreamDecoder, decodeStream } from './decode-stream.ts';
import { encodeResponse } from './encode-response.ts';
import { createStreamEncoder, encodeStream } from './encode-stream.ts';
import { encodeError, encodeErrorEvent, parseError } from './errors.ts';
import { parseRawRequest, parseRequest } from './parse-request.ts';
import { parseResponse } from './parse-response.ts';
import { createAnthropicPassthroughWatcher } from './passthrough-watcher.ts';

export const anthropicMessages: Dialect = Object.freeze({
  name: 'anthropic-messages',
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
  createPassthroughWatcher: createAnthropicPassthroughWatcher,
  passthroughResponse: (body: unknown, options: PassthroughResponseOptions) =>
    passthroughJsonResponse(body, options, { modelKey: 'model', parseResponse }),
  forwardedClientHeaders: ['anthropic-beta', 'anthropic-version'],
  // Anthropic's SDK sends `anthropic-version` on every request.
  recognizesClient: (headers: Headers) => headers.has('anthropic-version'),
});
