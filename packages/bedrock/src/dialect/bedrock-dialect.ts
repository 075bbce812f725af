/**
 * Bedrock Runtime's Converse wire as an upstream dialect (TokenPak never serves it to clients). Its streams are
 * AWS event-stream binary frames, not SSE: the provider gives `createHttpProvider` the event-stream framer,
 * and this decoder takes one decoded frame per push.
 */
import type { UpstreamDialect } from '@tokenpak/provider';
import type { EventStreamMessage } from '../event-stream/event-stream-framer.ts';
import { buildRequest } from './build-request.ts';
import { createStreamDecoder } from './decode-stream.ts';
import { parseError } from './errors.ts';
import { parseResponse } from './parse-response.ts';

export const BEDROCK_DIALECT = 'bedrock-converse';

export const bedrockConverse: UpstreamDialect<EventStreamMessage> = Object.freeze({
  name: BEDROCK_DIALECT,
  buildRequest,
  createStreamDecoder,
  parseResponse,
  parseError,
});
